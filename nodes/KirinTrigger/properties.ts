import type { INodeProperties } from 'n8n-workflow';

import { ANY_STATUS } from './callback/events';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Copy this node\'s Production URL (under "Webhook URLs" above) into the Callback URL option of a Kirin node\'s Create operation, then activate this workflow. Kirin calls it whenever that task changes status.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		options: [
			{
				name: 'Any Status Change',
				value: ANY_STATUS,
				description: 'Queued, processing, completed, failed and cancelled',
			},
			{ name: 'Cancelled', value: 'cancelled' },
			{ name: 'Completed', value: 'completed' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Processing', value: 'processing' },
			{ name: 'Queued', value: 'queued' },
		],
		default: ['completed', 'failed'],
		required: true,
		description: 'Which task statuses start the workflow',
	},
	{
		displayName: 'Verify With Kirin',
		name: 'verify',
		type: 'boolean',
		default: true,
		description:
			'Whether to fetch the task from Kirin before starting the workflow and use that answer, not the callback body. Anyone who knows the URL can post to it; this stops forged callbacks.',
	},
	{
		displayName: 'Require Callback Secret',
		name: 'requireToken',
		type: 'boolean',
		default: false,
		description:
			"Whether to reject callbacks whose URL lacks ?token= with the credential's Callback Secret (the Kirin node adds it for you)",
	},
	{
		displayName: 'Download Video',
		name: 'download',
		type: 'boolean',
		default: false,
		description: 'Whether to attach the finished video to the item as binary data (MP4)',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyOutput',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the video in',
		displayOptions: { show: { download: [true] } },
	},
];
