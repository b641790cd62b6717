import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { KirinClient } from '../../../shared/api/client';
import type { CreateTaskRequest } from '../../../shared/api/types';
import type { Check } from '../../../shared/input/check';

import { mapWithConcurrency, settle } from '../../../shared/concurrency';
import { optionsField, waitFields } from '../common/fields';
import { waitThenDownload } from '../common/finish';
import { failed, inputError, toOutputItems, type ItemResult } from '../common/results';
import { connect, readDownloadChoice, readRunOptions, readWaitChoice } from '../common/settings';
import { buildCreateRequest } from './createRequest';
import { MAX_PAUSED_ITEMS, resumeCallbackUrl } from './pause';

const show = { operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'An image file from a previous node' },
			{ name: 'URL', value: 'url', description: 'A public link to a PNG or JPEG image' },
			{ name: 'Base64', value: 'base64', description: 'The image as a base64 string' },
		],
		default: 'binary',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the image (PNG or JPEG)',
		displayOptions: { show: { ...show, imageSource: ['binary'] } },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/product.jpg',
		description: 'A public http(s) link to a PNG or JPEG image',
		displayOptions: { show: { ...show, imageSource: ['url'] } },
	},
	{
		displayName: 'Image (Base64)',
		name: 'imageBase64',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'The image as base64; a "data:image/...;base64," prefix is removed for you',
		displayOptions: { show: { ...show, imageSource: ['base64'] } },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'The camera slowly circles the product on a marble table, soft daylight',
		description: 'What should happen in the video, up to 2500 characters',
		displayOptions: { show },
	},
	{
		displayName: 'Duration',
		name: 'duration',
		type: 'options',
		options: [
			{ name: '5 Seconds', value: '5' },
			{ name: '10 Seconds', value: '10' },
		],
		default: '5',
		description: 'Length of the video (1080p, 24 fps)',
		displayOptions: { show },
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the video is ready and output it, instead of outputting the new task right away',
		displayOptions: { show },
	},
	{
		displayName: 'Wait Method',
		name: 'waitMethod',
		type: 'options',
		options: [
			{
				name: 'Poll',
				value: 'poll',
				description:
					'Ask Kirin every few seconds while the node runs. Simple; holds the execution (and a worker) meanwhile.',
			},
			{
				name: 'Pause Until Kirin Calls Back',
				value: 'pause',
				description:
					"Store the execution and free the worker; Kirin's callback resumes it when every video is done. Needs an n8n that Kirin can reach. Up to 25 items.",
			},
		],
		default: 'poll',
		displayOptions: { show: { ...show, waitForCompletion: [true] } },
	},
	{
		displayName:
			'On time-out a paused node passes its input items on unchanged. Set Options → External Task ID (for example to a product ID) so a following Get Status by External Task ID can pick the task up.',
		name: 'pauseNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, waitForCompletion: [true], waitMethod: ['pause'] } },
	},
	...waitFields({ ...show, waitForCompletion: [true] }),
	optionsField(show, [
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://your-n8n.example.com/webhook/…/kirin',
			description:
				'Kirin POSTs the task to this URL on every status change. Paste the production URL of a Kirin Trigger node here to handle finished videos in another workflow. If the credential has a Callback Secret, it is added as ?token=….',
		},
		{
			displayName: 'External Task ID',
			name: 'externalTaskId',
			type: 'string',
			default: '',
			description:
				'Your own ID for the task (for example an order or product ID). Kirin keeps one task per ID: running the same ID again returns the existing task instead of paying for a new video. Left empty, one is derived from the execution and item.',
		},
		{
			displayName: 'Watermark',
			name: 'watermark',
			type: 'boolean',
			default: false,
			description: "Whether to add Kirin's watermark to the video",
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const run = readRunOptions(this);
	const client = await connect(this, run);

	const requests = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const request = await buildCreateRequest(this, itemIndex, client.callbackSecret);
		if (!request.ok && !this.continueOnFail()) {
			// Nothing has been sent yet: stop before any item costs money.
			throw inputError(this, request.reason, itemIndex);
		}
		requests.push(request);
	}

	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	const pause = waitForCompletion && this.getNodeParameter('waitMethod', 0, 'poll') === 'pause';
	if (pause) pointCallbacksHere(this, client, requests);

	const created = await mapWithConcurrency(
		requests,
		run.concurrency,
		async (request, itemIndex): Promise<ItemResult> => {
			if (!request.ok) {
				return failed(inputError(this, request.reason, itemIndex));
			}
			const result = await settle(async () => await client.createTask(request.value, itemIndex));
			return result.ok ? { ok: true, task: result.value.task } : failed(result.error);
		},
	);

	if (pause) {
		const output = toOutputItems(this, created, 'data');
		const minutes = this.getNodeParameter('timeLimitMinutes', 0, 20) as number;
		await this.putExecutionToWait(new Date(Date.now() + minutes * 60_000));
		return output;
	}
	const wait = waitForCompletion ? readWaitChoice(this, run) : null;
	const download = waitForCompletion ? readDownloadChoice(this) : { download: false, binaryProperty: 'data' };
	const results = await waitThenDownload(this, client, created, wait, download, run);
	return toOutputItems(this, results, download.binaryProperty);
}

/** Pause: every task calls this execution's resume URL, which knows all the items' tasks. */
function pointCallbacksHere(
	ctx: IExecuteFunctions,
	client: KirinClient,
	requests: Array<Check<CreateTaskRequest>>,
): void {
	const ready = requests.filter((request) => request.ok);
	if (requests.length > MAX_PAUSED_ITEMS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Pause Until Kirin Calls Back handles up to ${MAX_PAUSED_ITEMS} items per execution and this run has ${requests.length}: choose Wait Method "Poll", or create without waiting and handle the videos with a Kirin Trigger.`,
		);
	}
	if (ready.some((request) => request.value.callbackUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Pause Until Kirin Calls Back sets the callback URL itself: remove Options → Callback URL, or choose Wait Method "Poll".',
		);
	}
	const url = resumeCallbackUrl(
		ctx,
		client,
		ready.map((request) => request.value.externalTaskId),
	);
	for (const request of ready) request.value.callbackUrl = url;
}
