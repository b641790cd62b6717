import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as create from './video/create.operation';
import * as estimateCost from './video/estimateCost.operation';
import * as getStatus from './video/getStatus.operation';
import * as wait from './video/wait.operation';

/**
 * Every operation of the Kirin node, by its `operation` parameter value. A new operation is a
 * new `video/<name>.operation.ts` (its fields and its execute), listed here; the compiler then
 * asks for its selector entry (below) and its text for the AI model (tool/toolFields.ts).
 */
export const operations = { create, estimateCost, getStatus, wait };

export type OperationName = keyof typeof operations;

export function isOperation(value: unknown): value is OperationName {
	return typeof value === 'string' && Object.hasOwn(operations, value);
}

/**
 * Each operation's entry in the selector, in the order the editor lists them (by name). Keyed by
 * the operation, so the build fails until every operation has one.
 */
const SELECTOR_OPTIONS: Record<OperationName, Omit<INodePropertyOptions, 'value'>> = {
	create: {
		name: 'Create',
		action: 'Create a video from an image',
		description: 'Start a video from an image and a prompt, and optionally wait for it',
	},
	estimateCost: {
		name: 'Estimate Cost',
		action: 'Estimate the cost of videos',
		description: 'Ask Kirin what Create would pay for each item, without creating anything',
	},
	getStatus: {
		name: 'Get Status',
		action: 'Get the status of a video task',
		description: 'Look up a task by its ID or external ID, optionally with its video',
	},
	wait: {
		name: 'Wait',
		action: 'Wait for a video task to finish',
		description: 'Wait until a task is completed or failed, then output it with its video',
	},
};

const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: Object.entries(SELECTOR_OPTIONS).map(([value, option]) => ({ ...option, value })),
	default: 'create',
};

/** The node's parameters: the operation selector, then each operation's fields. */
export const properties: INodeProperties[] = [
	operationField,
	...Object.values(operations).flatMap((operation) => operation.description),
];
