import { createHash } from 'crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import { decodeBase64Image } from '../../shared/input/base64Image';
import { accept, refuse, type Check } from '../../shared/input/check';
import { checkImage, checkImageBytes } from '../../shared/input/imageRules';
import { checkHttpUrl } from '../../shared/input/textRules';
import { BINARY_IMAGE_IN_TOOL_MODE, isToolMode } from '../tool/toolMode';
import { sampleBinaryImage } from './binaryImage';

/** One item's image for Create: where it comes from, checked, and its digest. */

export type ImageSource = 'binary' | 'url' | 'base64';

/**
 * Where an item's image comes from when its create is sent. A binary image is only checked
 * and digested up front, and read again inside the create window, so a batch never holds all
 * its images at once (binaryImage.ts).
 */
export type ImagePayload =
	| { kind: 'url'; url: string }
	| { kind: 'base64'; base64: string }
	| { kind: 'binary'; property: string; byteLength: number; digest: string };

// Formats the API refuses, recognisable from a URL without downloading it.
const REFUSED_URL_EXTENSIONS = /\.(gif|webp|heic|heif|avif|bmp|tiff?|svg)$/i;

function digestOf(bytes: Buffer | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export async function readImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<Check<{ payload: ImagePayload; digest: string }>> {
	const source = ctx.getNodeParameter('imageSource', itemIndex) as ImageSource;
	if (source === 'url') {
		const url = checkHttpUrl(ctx.getNodeParameter('imageUrl', itemIndex, ''), 'The image URL');
		if (!url.ok) return url;
		const extension = REFUSED_URL_EXTENSIONS.exec(new URL(url.value).pathname);
		if (extension) {
			return refuse(
				`The image URL points to a .${extension[1].toLowerCase()} file; Kirin accepts only PNG or JPEG images`,
				'Use the URL of a PNG or JPEG image, or convert the image first.',
			);
		}
		return accept({ payload: { kind: 'url', url: url.value }, digest: digestOf(`url:${url.value}`) });
	}
	if (source === 'base64') {
		const decoded = decodeBase64Image(String(ctx.getNodeParameter('imageBase64', itemIndex, '')));
		if (!decoded.ok) return decoded;
		const image = checkImageBytes(decoded.value.bytes);
		if (!image.ok) return image;
		return accept({
			payload: { kind: 'base64', base64: decoded.value.base64 },
			digest: digestOf(decoded.value.bytes),
		});
	}
	if (isToolMode(ctx)) return BINARY_IMAGE_IN_TOOL_MODE;
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const item = ctx.getInputData()[itemIndex];
	if (!item?.binary?.[property]) {
		return refuse(
			`The item has no binary field "${property}"`,
			'Set Input Binary Field to the field that holds the image (see the Binary tab of the input).',
		);
	}
	let read: Awaited<ReturnType<typeof sampleBinaryImage>>;
	try {
		read = await sampleBinaryImage(ctx, itemIndex, property);
	} catch (error) {
		// A file gone from n8n's binary data store, a failing stream: this item's problem only.
		return refuse(
			`The image in binary field "${property}" could not be read (${(error as Error).message})`,
			'Check the node that produced the file (run it again if its files were cleaned up); nothing was sent for this item.',
		);
	}
	const { sample, digest } = read;
	const image = checkImage(sample);
	if (!image.ok) return image;
	return accept({
		payload: { kind: 'binary', property, byteLength: sample.byteLength, digest },
		digest,
	});
}
