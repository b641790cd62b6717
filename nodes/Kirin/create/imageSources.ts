import { createHash } from 'crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import type { ImageData } from '../../shared/api/types';
import { decodeBase64Image } from '../../shared/input/base64Image';
import { accept, refuse, type Check, type Refusal } from '../../shared/input/check';
import { checkImage, checkImageBytes } from '../../shared/input/imageRules';
import { checkHttpUrl } from '../../shared/input/textRules';
import { BINARY_IMAGE_IN_TOOL_MODE, isToolMode } from '../tool/toolMode';
import { base64Length, sampleBinaryImage, writeBinaryBase64 } from './binaryImage';

/**
 * Every image a create sends (the image, and the end frame), read from its fields one way: a
 * binary file, a URL or base64, with the same checks before anything is paid, and sent the same
 * way (a binary image streamed into the request body, binaryImage.ts).
 */

export type ImageSource = 'binary' | 'url' | 'base64';

const SOURCES: readonly string[] = ['binary', 'url', 'base64'];

/**
 * Where an image comes from when its create is sent. A binary image is only checked and digested
 * up front, and read again inside the create window, so a batch never holds all its images at once.
 */
export type ImagePayload =
	| { kind: 'url'; url: string }
	| { kind: 'base64'; base64: string }
	| { kind: 'binary'; property: string; byteLength: number; digest: string };

/** An image read and checked: how it goes out, and its digest for idempotency keys. */
export interface CheckedImagePayload {
	payload: ImagePayload;
	digest: string;
}

/** The fields one image is read from, and how its refusals name it. */
export interface ImageFields {
	source: string;
	binaryProperty: string;
	url: string;
	base64: string;
	/** How the user's eye finds it in a refusal: "The image", "The end image". */
	called: string;
}

export const IMAGE_FIELDS: ImageFields = {
	source: 'imageSource',
	binaryProperty: 'binaryPropertyName',
	url: 'imageUrl',
	base64: 'imageBase64',
	called: 'The image',
};

export const END_IMAGE_FIELDS: ImageFields = {
	source: 'endImageSource',
	binaryProperty: 'endImageBinaryPropertyName',
	url: 'endImageUrl',
	base64: 'endImageBase64',
	called: 'The end image',
};

// Formats the API refuses, recognisable from a URL without downloading it.
const REFUSED_URL_EXTENSIONS = /\.(gif|webp|heic|heif|avif|bmp|tiff?|svg)$/i;

function digestOf(bytes: Buffer | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** The image rules speak of "the image"; for another image, its own name. */
function naming(refusal: Refusal, fields: ImageFields): Refusal {
	// Refusals written here name their image already.
	if (fields === IMAGE_FIELDS || refusal.reason.toLowerCase().includes(fields.called.toLowerCase().slice(4)))
		return refusal;
	const reason = refusal.reason.startsWith('The image')
		? `${fields.called}${refusal.reason.slice('The image'.length)}`
		: `${fields.called}: ${refusal.reason.charAt(0).toLowerCase()}${refusal.reason.slice(1)}`;
	return refuse(reason, refusal.fix);
}

async function readFrom(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: ImageFields,
	source: ImageSource,
): Promise<Check<CheckedImagePayload>> {
	if (source === 'url') {
		const url = checkHttpUrl(ctx.getNodeParameter(fields.url, itemIndex, ''), `${fields.called} URL`);
		if (!url.ok) return url;
		const extension = REFUSED_URL_EXTENSIONS.exec(new URL(url.value).pathname);
		if (extension) {
			return refuse(
				`${fields.called} URL points to a .${extension[1].toLowerCase()} file; Kirin accepts only PNG or JPEG images`,
				'Use the URL of a PNG or JPEG image, or convert the image first.',
			);
		}
		return accept({ payload: { kind: 'url', url: url.value }, digest: digestOf(`url:${url.value}`) });
	}
	if (source === 'base64') {
		const decoded = decodeBase64Image(String(ctx.getNodeParameter(fields.base64, itemIndex, '')));
		if (!decoded.ok) return decoded;
		const image = checkImageBytes(decoded.value.bytes);
		if (!image.ok) return image;
		return accept({
			payload: { kind: 'base64', base64: decoded.value.base64 },
			digest: digestOf(decoded.value.bytes),
		});
	}
	const isImage = fields === IMAGE_FIELDS;
	if (isToolMode(ctx)) {
		if (isImage) return BINARY_IMAGE_IN_TOOL_MODE;
		return refuse(
			'An AI Agent cannot pass a file to the Kirin tool as the end image',
			'Set End Image Source to URL (or None) and let the model fill in the end image URL.',
		);
	}
	const property = ctx.getNodeParameter(fields.binaryProperty, itemIndex, 'data') as string;
	const item = ctx.getInputData()[itemIndex];
	if (!item?.binary?.[property]) {
		return refuse(
			`The item has no binary field "${property}"${isImage ? '' : ' for the end image'}`,
			`Set ${isImage ? 'Input Binary Field' : 'End Image Binary Field'} to the field that holds the image (see the Binary tab of the input).`,
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
	return accept({ payload: { kind: 'binary', property, byteLength: sample.byteLength, digest }, digest });
}

/**
 * Reads and checks one image from its fields; undefined when the image is optional and its
 * source is "none". Everything the API would refuse and can be known here is refused here.
 */
export async function readImageFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: ImageFields,
): Promise<Check<CheckedImagePayload | undefined>> {
	const source = ctx.getNodeParameter(fields.source, itemIndex, 'none') as ImageSource | 'none';
	if (source === 'none') return accept(undefined);
	// An expression that gives something else (nothing, say) is not silently a binary file.
	if (!SOURCES.includes(source)) {
		return refuse(
			`${fields.called} source is "${String(source)}"`,
			'Choose Binary File, URL or Base64 (an expression must give "binary", "url" or "base64").',
		);
	}
	const read = await readFrom(ctx, itemIndex, fields, source);
	return read.ok ? read : naming(read, fields);
}

/** How an image goes out: a URL as is; base64 written into the request body when it is built. */
export function imageData(ctx: IExecuteFunctions, itemIndex: number, image: ImagePayload): ImageData {
	switch (image.kind) {
		case 'url':
			return { kind: 'url', url: image.url };
		case 'base64':
			return {
				kind: 'base64',
				length: image.base64.length,
				write: async (target) => void target.write(image.base64, 'latin1'),
			};
		case 'binary':
			return {
				kind: 'base64',
				length: base64Length(image.byteLength),
				write: async (target) => await writeBinaryBase64(ctx, itemIndex, image.property, target, image),
			};
	}
}
