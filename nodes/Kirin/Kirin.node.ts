import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { properties } from './actions/operations';
import { router } from './actions/router';
import { PAUSE_WEBHOOKS, resumeWebhook } from './pause/resumeWebhook';
import { getModelFields } from './create/modelFields/loadModelFields';
import { MODEL_FIELDS_METHOD } from './create/modelFields/modelFieldsField';
import { withToolFields } from './tool/toolFields';
import { kirinApiTest } from '../shared/api/credentialTest';

export class Kirin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kirin',
		name: 'kirin',
		icon: { light: 'file:kirin.svg', dark: 'file:kirin.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Turn an image and a prompt into a 1080p video with the Kirin API',
		defaults: { name: 'Kirin' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kirinApi', required: true, testedBy: 'kirinApiTest' }],
		// Only for Create → Wait Method "Pause Until Kirin Calls Back": the execution's resume URL.
		webhooks: PAUSE_WEBHOOKS,
		properties: withToolFields(properties),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	methods = {
		credentialTest: { kirinApiTest },
		resourceMapping: { [MODEL_FIELDS_METHOD]: getModelFields },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeWebhook(this);
	}
}
