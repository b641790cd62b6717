import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../actions/common/fields';
import { endImageFields } from './endImageFields';
import { modelFieldsField } from './modelFields/modelFieldsField';

/**
 * What a video is made of, as fields: the image, the prompt, the duration, the end image, the
 * model's own fields (from its live spec), and the options that
 * change the video. Create asks for them to make the video, Estimate Cost to price it, so both
 * read them through createRequest.ts the same way.
 */

export function createInputFields(show: Show): INodeProperties[] {
	return [
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
		...endImageFields(show),
		modelFieldsField(show),
	];
}

export const WATERMARK_OPTION: INodeProperties = {
	displayName: 'Watermark',
	name: 'watermark',
	type: 'boolean',
	default: false,
	description: "Whether to add Kirin's watermark to the video",
};

export const ADDITIONAL_PARAMETERS_OPTION: INodeProperties = {
	displayName: 'Additional Parameters',
	name: 'additionalParameters',
	type: 'json',
	default: '{}',
	description:
		'Fields of the Kirin model that this node has no field for, as a JSON object sent with the request, for example {"negative_prompt": "blurry", "cfg_scale": 0.5}. The image, prompt, duration, watermark, callback URL and external task ID are set by their own fields and cannot be set here.',
};
