import { createHash } from 'crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CreateTaskRequest, ImageData, VideoDuration } from '../../shared/api/types';
import { checkAdditionalParams } from '../../shared/input/additionalParams';
import { decodeBase64Image } from '../../shared/input/base64Image';
import { accept, refuse, type Check } from '../../shared/input/check';
import { checkImage, checkImageBytes } from '../../shared/input/imageRules';
import { BINARY_IMAGE_IN_TOOL_MODE, isToolMode, toolCallKey } from '../tool/toolMode';
import { base64Length, sampleBinaryImage, writeBinaryBase64 } from './binaryImage';
import { checkDuration, checkHttpUrl, checkPrompt, checkTaskId } from '../../shared/input/textRules';
import { contentDigest, deriveExternalTaskIds, ownIdTaken, readKeyScope } from './externalTaskId';
import { inputError } from '../actions/results';

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

/** One item's Create inputs, checked; `imageDigest` stands for the image in idempotency keys. */
export interface CreateInputs {
	image: ImagePayload;
	imageDigest: string;
	prompt: string;
	duration: VideoDuration;
	watermark: boolean;
	callbackUrl?: string;
	/** The user's own external task ID (Options), if given. */
	externalTaskId?: string;
	/** Options → Additional Parameters, checked; undefined when empty. */
	additionalParams?: IDataObject;
	/** In tool mode, which AI Agent tool call asked: each call is its own video. */
	toolCall?: string;
}

/** A create ready to send but for its image: inputs checked, external task ID chosen. */
export interface PreparedCreate {
	itemIndex: number;
	inputs: CreateInputs;
	externalTaskId: string;
	derivedExternalTaskId: boolean;
}

// Formats the API refuses, recognisable from a URL without downloading it.
const REFUSED_URL_EXTENSIONS = /\.(gif|webp|heic|heif|avif|bmp|tiff?|svg)$/i;

function digestOf(bytes: Buffer | string): string {
	return createHash('sha256').update(bytes).digest('hex');
}

async function readImage(
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
	const { sample, digest } = await sampleBinaryImage(ctx, itemIndex, property);
	const image = checkImage(sample);
	if (!image.ok) return image;
	return accept({
		payload: { kind: 'binary', property, byteLength: sample.byteLength, digest },
		digest,
	});
}

/** The secret goes on the callback URL so the Kirin Trigger can tell real callbacks from forged ones. */
export function withCallbackToken(callbackUrl: string, secret: string): string {
	if (!secret) return callbackUrl;
	const url = new URL(callbackUrl);
	if (!url.searchParams.has('token')) url.searchParams.set('token', secret);
	return url.toString();
}

interface CreateOptions {
	watermark?: boolean;
	callbackUrl?: string;
	externalTaskId?: string;
	alwaysCreateNew?: boolean;
	additionalParameters?: unknown;
}

/**
 * Reads and checks one item's inputs. Everything the API would reject, and can be known
 * here, is rejected here, before any request and so before any cost.
 */
async function readCreateInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	callbackSecret: string,
): Promise<Check<CreateInputs>> {
	const image = await readImage(ctx, itemIndex);
	if (!image.ok) return image;
	const prompt = checkPrompt(ctx.getNodeParameter('prompt', itemIndex, ''));
	if (!prompt.ok) return prompt;
	const duration = checkDuration(ctx.getNodeParameter('duration', itemIndex, '5'));
	if (!duration.ok) return duration;

	const options = ctx.getNodeParameter('options', itemIndex, {}) as CreateOptions;
	let callbackUrl: string | undefined;
	if (options.callbackUrl !== undefined && String(options.callbackUrl).trim() !== '') {
		const checked = checkHttpUrl(options.callbackUrl, 'The callback URL');
		if (!checked.ok) return checked;
		callbackUrl = withCallbackToken(checked.value, callbackSecret);
	}
	let externalTaskId: string | undefined;
	if (options.externalTaskId !== undefined && String(options.externalTaskId).trim() !== '') {
		const checked = checkTaskId(options.externalTaskId, 'The external task ID');
		if (!checked.ok) return checked;
		externalTaskId = checked.value;
	}
	const additional = checkAdditionalParams(options.additionalParameters);
	if (!additional.ok) return additional;
	return accept({
		image: image.value.payload,
		imageDigest: image.value.digest,
		prompt: prompt.value,
		duration: duration.value,
		watermark: options.watermark ?? false,
		callbackUrl,
		externalTaskId,
		additionalParams: additional.value,
		toolCall: toolCallKey(ctx, itemIndex),
	});
}

/**
 * What the video is made of: every input that changes it (not where its callbacks go).
 * Additional parameters join only when given, so keys made before they existed stay the same.
 */
function whatIsAskedFor(inputs: CreateInputs): Record<string, unknown> {
	return {
		image: inputs.imageDigest,
		prompt: inputs.prompt,
		duration: inputs.duration,
		watermark: inputs.watermark,
		...(inputs.additionalParams ? { additionalParams: inputs.additionalParams } : {}),
		...(inputs.toolCall !== undefined ? { toolCall: inputs.toolCall } : {}),
	};
}

/**
 * Reads every item's inputs and gives each an external task ID, before anything is sent. A bad
 * input stops the node at once (nothing has cost money yet) or, with Continue On Fail, fails
 * only its own item.
 */
export async function prepareCreates(
	ctx: IExecuteFunctions,
	itemCount: number,
	callbackSecret: string,
): Promise<Array<Check<PreparedCreate>>> {
	const inputs: Array<Check<CreateInputs>> = [];
	const ownIds = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const inputsRead = await readCreateInputs(ctx, itemIndex, callbackSecret);
		const read =
			(inputsRead.ok && ownIdTaken(inputsRead.value.externalTaskId, ownIds, itemIndex)) || inputsRead;
		if (!read.ok && !ctx.continueOnFail()) throw inputError(ctx, read, itemIndex);
		inputs.push(read);
	}
	const alwaysNew = Boolean((ctx.getNodeParameter('options', 0, {}) as CreateOptions).alwaysCreateNew);
	const derived = deriveExternalTaskIds(
		readKeyScope(ctx, alwaysNew),
		inputs.map((read) =>
			read.ok && !read.value.externalTaskId ? contentDigest(whatIsAskedFor(read.value)) : null,
		),
	);
	return inputs.map((read, itemIndex): Check<PreparedCreate> => {
		if (!read.ok) return read;
		const own = read.value.externalTaskId;
		return accept({
			itemIndex,
			inputs: read.value,
			externalTaskId: own ?? (derived[itemIndex] as string),
			derivedExternalTaskId: own === undefined,
		});
	});
}

/** How the image goes out: a URL as is; base64 written into the request body when it is built. */
function imageData(ctx: IExecuteFunctions, itemIndex: number, image: ImagePayload): ImageData {
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

/** The request for a prepared create; its image is read only when the request body is built. */
export function createRequestFor(ctx: IExecuteFunctions, prepared: PreparedCreate): CreateTaskRequest {
	const { inputs } = prepared;
	return {
		image: imageData(ctx, prepared.itemIndex, inputs.image),
		prompt: inputs.prompt,
		duration: inputs.duration,
		watermark: inputs.watermark,
		callbackUrl: inputs.callbackUrl,
		additionalParams: inputs.additionalParams,
		externalTaskId: prepared.externalTaskId,
		derivedExternalTaskId: prepared.derivedExternalTaskId,
	};
}
