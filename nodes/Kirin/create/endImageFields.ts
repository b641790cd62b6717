import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../actions/common/fields';

/**
 * End Image: the frame the video ends on, the model's `image_tail` param. Optional, from the same
 * three sources as the image, read and checked the same way (imageSources.ts).
 */
export function endImageFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'End Image Source',
			name: 'endImageSource',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'The video ends where the prompt takes it' },
				{ name: 'Binary File', value: 'binary', description: 'An image file from a previous node' },
				{ name: 'URL', value: 'url', description: 'A public link to a PNG or JPEG image' },
				{ name: 'Base64', value: 'base64', description: 'The image as a base64 string' },
			],
			default: 'none',
			description:
				"An optional last frame: the video ends on this image. It is sent as the model's image_tail param, checked like the image (PNG or JPEG, under 10 MB, at least 300 px per side, ratio between 1:2.5 and 2.5:1). Kirin refuses it where the model does not take it; the node reports that refusal as a bad input, and it costs nothing.",
			displayOptions: { show },
		},
		{
			displayName: 'End Image Binary Field',
			name: 'endImageBinaryPropertyName',
			type: 'string',
			default: 'endImage',
			required: true,
			hint: 'The name of the input binary field containing the end image (PNG or JPEG)',
			displayOptions: { show: { ...show, endImageSource: ['binary'] } },
		},
		{
			displayName: 'End Image URL',
			name: 'endImageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/product-last-frame.jpg',
			description: 'A public http(s) link to the PNG or JPEG image the video ends on',
			displayOptions: { show: { ...show, endImageSource: ['url'] } },
		},
		{
			displayName: 'End Image (Base64)',
			name: 'endImageBase64',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			required: true,
			description:
				'The image the video ends on, as base64; a "data:image/...;base64," prefix is removed for you',
			displayOptions: { show: { ...show, endImageSource: ['base64'] } },
		},
	];
}
