import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { waitThenDownload } from '../../wait/waitThenDownload';
import { downloadFields, optionsField } from '../common/fields';
import { lookUpTasks, type LookUpBy } from '../common/lookUpTasks';
import { toOutputItems } from '../results';
import { connect, readDownloadChoice, readRunOptions } from '../common/settings';

const show = { operation: ['getStatus'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		options: [
			{ name: 'Task ID', value: 'id', description: 'The ID Kirin gave the task' },
			{
				name: 'External Task ID',
				value: 'externalTaskId',
				description: 'The ID you (or the Create operation) gave the task',
			},
		],
		default: 'id',
		displayOptions: { show },
	},
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		description: 'The ID of the task, as output by Create',
		displayOptions: { show: { ...show, lookUpBy: ['id'] } },
	},
	{
		displayName: 'External Task ID',
		name: 'externalTaskId',
		type: 'string',
		default: '={{ $json.externalTaskId }}',
		required: true,
		description: 'The external task ID given when the task was created',
		displayOptions: { show: { ...show, lookUpBy: ['externalTaskId'] } },
	},
	...downloadFields(show, false),
	// Get Status asks once: none of the polling options act here.
	optionsField(show, [], false),
];

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const run = readRunOptions(this);
	const client = await connect(this, run);
	const lookUpBy = this.getNodeParameter('lookUpBy', 0, 'id') as LookUpBy;
	const found = await lookUpTasks(this, client, items.length, lookUpBy, run.concurrency);

	const download = readDownloadChoice(this, run);
	const results = await waitThenDownload(this, client, found, null, download);
	return toOutputItems(this, results, download.binaryProperty);
}
