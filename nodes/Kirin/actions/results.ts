import {
	NodeApiError,
	NodeOperationError,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { unsureExternalTaskId } from '../../shared/api/createErrors';
import { taskFailedError } from '../../shared/api/errors';
import { taskJson, type KirinTask } from '../../shared/api/parse';
import { isSpent } from '../../shared/api/status';
import type { Refusal } from '../../shared/input/check';

type NodeError = NodeApiError | NodeOperationError;

/** Where one input item stands while the operation works on it. */
export type ItemResult =
	| {
			ok: true;
			task: KirinTask;
			/**
			 * Create only: the task was made before this run (reused), nothing new was paid for.
			 * Output as `reused`, true or false.
			 */
			reused?: boolean;
			/** A reused task posted to this run's Callback URL by the node itself (reusedCallbacks.ts). */
			callbackResent?: boolean;
			/** Create with spend limits: the price quoted before the create (USD), null if unknown. */
			estimatedCost?: number | null;
			video?: IBinaryData;
			timedOut?: boolean;
	  }
	| { ok: false; error: NodeError; task?: KirinTask };

export type OkResult = Extract<ItemResult, { ok: true }>;
export type FailedResult = Extract<ItemResult, { ok: false }>;

/** An input the user must fix, named with its item index; raised before any request. */
export function inputError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	refusal: Refusal,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${refusal.reason} [item ${itemIndex}]`, {
		itemIndex,
		description: refusal.fix,
	});
}

/** A failed item; anything thrown becomes an n8n node error, so n8n can route and show it. */
export function failed(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	task?: KirinTask,
): FailedResult {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error));
	return { ok: false, error: nodeError, task };
}

/**
 * A task that ended: a completed one as the item's result (with what was known of the item
 * before), a failed or cancelled one as the item's error, with the task beside it.
 */
export function endedResult(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	task: KirinTask,
	itemIndex: number,
	redact: (text: string) => string,
	before: Omit<Partial<OkResult>, 'ok' | 'task'> = {},
): ItemResult {
	if (isSpent(task.status)) return failed(ctx, taskFailedError(ctx.getNode(), task, itemIndex, redact), task);
	return { ...before, ok: true, task };
}

/** At most this many tasks are named in the node's error message; its description names them all. */
const NAMED_TASKS = 20;

/** What the stop error says of one item: its task, or the external task ID of a create left unsure. */
function itemStanding(result: ItemResult, index: number): string[] {
	if (result.task) return [`item ${index} ${result.task.id} ${result.task.status}`];
	const unsure = result.ok ? undefined : unsureExternalTaskId(result.error);
	return unsure ? [`item ${index} outcome unknown (external task ID ${unsure})`] : [];
}

/**
 * The node's error when an item failed and the node does not continue: the first failure, then
 * every item's task and status (and every create whose outcome is unknown), so no task that was
 * paid for is hidden behind the failure. A long list goes whole into the description.
 */
function stopError(results: readonly ItemResult[], first: Extract<ItemResult, { ok: false }>): NodeError {
	// The first failure's own unsure create is named by its message already.
	const standings = results.flatMap((result, index) =>
		result === first && !result.task ? [] : itemStanding(result, index),
	);
	const error = first.error;
	if (standings.length === 0) return error;
	const named = standings.slice(0, NAMED_TASKS).join('; ');
	if (standings.length <= NAMED_TASKS) {
		error.message = `${error.message} Tasks: ${named}.`;
		return error;
	}
	error.message = `${error.message} Tasks: ${named}; and ${standings.length - NAMED_TASKS} more (all in the details).`;
	const before = error.description ? `${error.description}\n\n` : '';
	error.description = `${before}Every item's task: ${standings.join('; ')}.`;
	return error;
}

/** The message with its task named, before its `[item …]` tag, unless it names it already. */
function namingTask(message: string, task?: KirinTask): string {
	if (!task || message.includes(task.id)) return message;
	const tag = message.lastIndexOf(' [item ');
	const at = tag === -1 ? message.length : tag;
	return `${message.slice(0, at)} (Kirin task ${task.id}: ${task.status})${message.slice(at)}`;
}

/**
 * A failed item's JSON, shaped for where n8n sends it: `error` says what happened (naming the
 * item's task), `message` what to do. With "Continue (using error output)" the item holds only
 * those two: every n8n moves such an item to the error output, and adds the input item's fields.
 * (n8n from 2.36 would also take a task under `details`, but before 2.34.6, 1.x included, any
 * third key keeps the item on the main output; and an item's `error` object would make n8n
 * replace its JSON by the message.) With "Continue" the task's fields stay beside them.
 */
export function failedItemJson(
	node: INode,
	error: Error & { description?: string | null },
	task?: KirinTask,
): IDataObject {
	const copy = {
		error: namingTask(error.message, task),
		...(error.description ? { message: error.description } : {}),
	};
	if (node.onError === 'continueErrorOutput') return copy;
	return { ...(task ? taskJson(task) : {}), ...copy };
}

/** The task's JSON with the price quoted before the create just before what it cost. */
function withEstimate(json: IDataObject, estimatedCost: number | null): IDataObject {
	return Object.fromEntries(
		Object.entries(json).flatMap(([key, value]) =>
			key === 'cost'
				? [
						['estimatedCost', estimatedCost],
						[key, value],
					]
				: [[key, value]],
		),
	);
}

/** Per-item results as output items, in input order, each paired with its input item. */
export function resultItems(
	node: INode,
	results: readonly ItemResult[],
	binaryProperty: string,
): INodeExecutionData[] {
	return results.map((result, index) => {
		const pairedItem = { item: index };
		if (!result.ok) return { json: failedItemJson(node, result.error, result.task), pairedItem };
		const task = taskJson(result.task);
		const json = result.estimatedCost === undefined ? task : withEstimate(task, result.estimatedCost);
		if (result.timedOut) json.timedOut = true;
		if (result.reused !== undefined) json.reused = result.reused;
		if (result.callbackResent !== undefined) json.callbackResent = result.callbackResent;
		const item: INodeExecutionData = { json, pairedItem };
		if (result.video) item.binary = { [binaryProperty]: result.video };
		return item;
	});
}

/**
 * Turns per-item results into output items (resultItems). A failed item goes where the node's
 * settings send it (see failedItemJson); without Continue the node stops, after every item has
 * been attempted, so a re-run finds the tasks already made.
 */
export function toOutputItems(
	ctx: IExecuteFunctions,
	results: readonly ItemResult[],
	binaryProperty: string,
): INodeExecutionData[] {
	const firstFailure = results.find((result) => !result.ok);
	if (firstFailure && !firstFailure.ok && !ctx.continueOnFail()) {
		throw stopError(results, firstFailure);
	}
	return resultItems(ctx.getNode(), results, binaryProperty);
}
