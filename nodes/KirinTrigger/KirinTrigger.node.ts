import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { downloadVideo } from '../shared/api/download';
import { taskJson } from '../shared/api/parse';
import { judgeCallback, type TriggerSettings } from './callback/judgeCallback';
import { triggerProperties } from './properties';
import { kirinApiTest } from '../shared/api/credentialTest';

export class KirinTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kirin Trigger',
		name: 'kirinTrigger',
		icon: { light: 'file:kirinTrigger.svg', dark: 'file:kirinTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 changes nothing in the node. n8n evaluates a legacy expression
		// (`$parameter["options"]["binaryData"]`) on every webhook call of a node at type version 1
		// exactly (webhook-helpers parseRequestBody); from 1.1 it does not, and parses only JSON,
		// text, form and XML bodies, which Kirin's callbacks are. Workflows saved at 1 still load.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when a Kirin video task changes status',
		defaults: { name: 'Kirin Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kirinApi', required: true, testedBy: 'kirinApiTest' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'kirin' }],
		properties: triggerProperties,
	};

	methods = { credentialTest: { kirinApiTest } };

	// Kirin is given this URL per task (Create → Callback URL): there is nothing to register with
	// Kirin when the workflow is activated, and nothing to remove when it is deactivated.
	// n8n would run without these no-ops; the community lint (webhook-lifecycle-complete) demands them.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings: TriggerSettings = {
			events: this.getNodeParameter('events', []) as TriggerSettings['events'],
			verify: this.getNodeParameter('verify', true) as boolean,
			requireToken: this.getNodeParameter('requireToken', false) as boolean,
		};
		const verdict = await judgeCallback(this, settings);
		const response = this.getResponseObject();

		if (verdict.kind === 'reject') {
			if (verdict.httpStatus === 503) response.setHeader('Retry-After', '30');
			response.status(verdict.httpStatus).json({ ok: false, reason: verdict.reason });
			return { noWebhookResponse: true };
		}
		if (verdict.kind === 'ignore') {
			response.status(200).json({ ok: true, started: false, reason: verdict.reason });
			return { noWebhookResponse: true };
		}

		// Answer before any download: Kirin should not wait on a large video transfer.
		const { task, client } = verdict;
		response.status(200).json({ ok: true, started: true, taskId: task.id, status: task.status });

		const item: INodeExecutionData = { json: taskJson(task) };
		if (this.getNodeParameter('download', false) && task.status === 'completed') {
			const property = this.getNodeParameter('binaryPropertyOutput', 'data') as string;
			try {
				const downloaded = await downloadVideo(client, task, 0);
				// With a fresh link, if the first had expired.
				item.json = taskJson(downloaded.task);
				item.binary = { [property]: downloaded.video };
			} catch (error) {
				// The callback is already answered; the run still starts and says what went wrong.
				item.json.error = client.redact((error as Error).message);
			}
		}
		return { workflowData: [[item]], noWebhookResponse: true };
	}
}
