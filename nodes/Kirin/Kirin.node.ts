import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as video from './actions/video';

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
		credentials: [{ name: 'kirinApi', required: true }],
		properties: video.description,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
