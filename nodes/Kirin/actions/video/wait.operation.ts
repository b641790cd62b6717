import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { waitForAll, waitThenDownload } from '../../wait/waitThenDownload';
import { optionsField, waitFields } from '../common/fields';
import { readTaskRefs } from '../common/lookUpTasks';
import { failed, inputError, toOutputItems } from '../results';
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
	const refs = readTaskRefs(this, items.length, 'id');

	// The first check happens at once and belongs to the wait: an outage is waited out too.
	const targets = refs.map((ref, itemIndex) =>
		ref.ok ? { ref: ref.value } : failed(this, inputError(this, ref, itemIndex)),
	);
	const waited = await waitForAll(this, client, targets, readWaitChoice(this, run));
	const download = readDownloadChoice(this, run);
	const results = await waitThenDownload(this, client, waited, null, download);
	return toOutputItems(this, results, download.binaryProperty);
}
