import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { waitThenDownload } from '../../wait/waitThenDownload';
import { optionsField, waitFields } from '../common/fields';
import { lookUpTasks } from '../common/lookUpTasks';
import { toOutputItems } from '../common/results';
import { connect, readDownloadChoice, readRunOptions, readWaitChoice } from '../common/settings';

const show = { operation: ['wait'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		description: 'The ID of the task to wait for, as output by Create',
		displayOptions: { show },
	},
	...waitFields(show),
	optionsField(show),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const run = readRunOptions(this);
	const client = await connect(this, run);

	// The first look happens at once; only unfinished tasks are then polled on the schedule.
	const current = await lookUpTasks(this, client, items.length, 'id', run.concurrency);

	const download = readDownloadChoice(this, run);
	const results = await waitThenDownload(this, client, current, readWaitChoice(this, run), download);
	return toOutputItems(this, results, download.binaryProperty);
}
