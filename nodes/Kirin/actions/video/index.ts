import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getStatus from './getStatus.operation';
import * as wait from './wait.operation';

export { create, getStatus, wait };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a video from an image',
				description: 'Start a video from an image and a prompt, and optionally wait for it',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the status of a video task',
				description: 'Look up a task by its ID or external ID, optionally with its video',
			},
			{
				name: 'Wait',
				value: 'wait',
				action: 'Wait for a video task to finish',
				description: 'Wait until a task is completed or failed, then output it with its video',
			},
		],
		default: 'create',
	},
	...create.description,
	...getStatus.description,
	...wait.description,
];
