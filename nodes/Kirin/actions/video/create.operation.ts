import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createTask } from '../../../shared/api/tasks';
import { mapWithConcurrency, settle } from '../../../shared/concurrency';
import { canPause, pauseUntilCalledBack, pointCallbacksHere } from '../../pause/pauseExecution';
import { PAUSE_OPTION, pauseNotice } from '../../pause/pauseFields';
import { waitThenDownload } from '../../wait/waitThenDownload';
import { createRequestFor, prepareCreates } from '../common/createRequest';
import { optionsField, waitFields } from '../common/fields';
import { failed, inputError, toOutputItems, type ItemResult } from '../common/results';
import { connect, readDownloadChoice, readRunOptions, readWaitChoice } from '../common/settings';

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
			PAUSE_OPTION,
		],
		default: 'poll',
		displayOptions: { show: { ...show, waitForCompletion: [true] } },
	},
	pauseNotice({ ...show, waitForCompletion: [true] }),
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
				'Your own ID for the task (for example an order or product ID). Running the same ID again returns its task instead of paying for a new video (unless that task failed). Left empty, one is derived from the workflow, the node and what the item asks for.',
		},
		{
			displayName: 'Always Create New Videos',
			name: 'alwaysCreateNew',
			type: 'boolean',
			default: false,
			description:
				'Whether every execution buys new videos, even for the same image and prompt. Off, running the node again over the same inputs returns the videos made before (done or still being made) and only makes again the ones that failed.',
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
	const prepared = await prepareCreates(this, items.length, client.callbackSecret);

	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	const pause = waitForCompletion && this.getNodeParameter('waitMethod', 0, 'poll') === PAUSE_OPTION.value;
	if (pause) await pointCallbacksHere(this, prepared);

	// The image is read here, inside the concurrency window, and dropped once its create answers.
	const created = await mapWithConcurrency(
		prepared,
		run.concurrency,
		async (entry, itemIndex): Promise<ItemResult> => {
			if (!entry.ok) return failed(this, inputError(this, entry.reason, itemIndex));
			const result = await settle(
				async () => await createTask(client, createRequestFor(this, entry.value), itemIndex),
			);
			return result.ok
				? { ok: true, task: result.value.task, reused: result.value.reused }
				: failed(this, result.error);
		},
	);

	if (pause && (await canPause(this, client, created))) return await pauseUntilCalledBack(this, created);
	const wait = waitForCompletion ? readWaitChoice(this, run) : null;
	const download = readDownloadChoice(this, run, waitForCompletion);
	const results = await waitThenDownload(this, client, created, wait, download);
	return toOutputItems(this, results, download.binaryProperty);
}
