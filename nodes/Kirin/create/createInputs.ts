import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CreateTaskRequest, VideoDuration } from '../../shared/api/types';
import { checkAdditionalParams } from '../../shared/input/additionalParams';
import { accept, refuse, type Check } from '../../shared/input/check';
import { toolCallKey } from '../tool/toolMode';
import {
	END_IMAGE_FIELDS,
	IMAGE_FIELDS,
	imageData,
	readImageFields,
	type CheckedImagePayload,
	type ImagePayload,
} from './imageSources';
import { modelFieldRules, withModelFields, type ModelFieldRules } from './modelFields/readModelFields';
import { checkDuration, checkHttpUrl, checkPrompt, checkTaskId } from '../../shared/input/textRules';
import { contentDigest, deriveExternalTaskIds, ownIdTaken, readKeyScope } from './externalTaskId';
import { optionFlag, optionText, readOptions, readOptionsOf } from '../actions/common/options';
import { inputError } from '../actions/results';

/** One item's Create inputs, checked; `imageDigest` stands for the image in idempotency keys. */
export interface CreateInputs {
	image: ImagePayload;
	imageDigest: string;
	/** End Image (the model's `image_tail`), when given, and its digest. */
	imageTail?: CheckedImagePayload;
	prompt: string;
	duration: VideoDuration;
	watermark: boolean;
	callbackUrl?: string;
	/** The user's own external task ID (Options), if given. */
	externalTaskId?: string;
	/** Model Fields and Options → Additional Parameters, checked; undefined when empty. */
	additionalParams?: IDataObject;
	/** Why the item's Model Fields went unchecked (no spec to be had), if they did. */
	modelFieldsUnchecked?: string;
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

/** The secret goes on the callback URL so the Kirin Trigger can tell real callbacks from forged ones. */
export function withCallbackToken(callbackUrl: string, secret: string): string {
	if (!secret) return callbackUrl;
	const url = new URL(callbackUrl);
	if (!url.searchParams.has('token')) url.searchParams.set('token', secret);
	return url.toString();
}

/** The Options each item's create is made of, by the labels their errors name. */
const ITEM_OPTION_LABELS = {
	callbackUrl: 'Callback URL',
	externalTaskId: 'External Task ID',
	watermark: 'Watermark',
	additionalParameters: 'Additional Parameters',
};

/**
 * Reads and checks one item's inputs. Everything the API would reject, and can be known
 * here, is rejected here, before any request and so before any cost.
 */
async function readCreateInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	callbackSecret: string,
	modelRules: ModelFieldRules | null,
): Promise<Check<CreateInputs>> {
	const image = await readImageFields(ctx, itemIndex, IMAGE_FIELDS);
	if (!image.ok) return image;
	if (!image.value) return refuse('The node has no Image Source', 'Choose an Image Source.');
	const imageTail = await readImageFields(ctx, itemIndex, END_IMAGE_FIELDS);
	if (!imageTail.ok) return imageTail;
	const prompt = checkPrompt(ctx.getNodeParameter('prompt', itemIndex, ''));
	if (!prompt.ok) return prompt;
	const duration = checkDuration(ctx.getNodeParameter('duration', itemIndex, '5'));
	if (!duration.ok) return duration;

	const read = readOptionsOf(ctx, itemIndex, ITEM_OPTION_LABELS);
	if (!read.ok) return read;
	const options = read.value;
	const givenCallbackUrl = optionText(options, 'callbackUrl');
	let callbackUrl: string | undefined;
	if (givenCallbackUrl !== undefined && givenCallbackUrl.trim() !== '') {
		const checked = checkHttpUrl(givenCallbackUrl, 'The callback URL');
		if (!checked.ok) return checked;
		callbackUrl = withCallbackToken(checked.value, callbackSecret);
	}
	const givenExternalTaskId = optionText(options, 'externalTaskId');
	let externalTaskId: string | undefined;
	if (givenExternalTaskId !== undefined && givenExternalTaskId.trim() !== '') {
		const checked = checkTaskId(givenExternalTaskId, 'The external task ID');
		if (!checked.ok) return checked;
		externalTaskId = checked.value;
	}
	const additional = checkAdditionalParams(options.additionalParameters);
	if (!additional.ok) return additional;
	const params = withModelFields(ctx, itemIndex, modelRules, additional.value);
	if (!params.ok) return params;
	return accept({
		image: image.value.payload,
		imageDigest: image.value.digest,
		imageTail: imageTail.value,
		prompt: prompt.value,
		duration: duration.value,
		watermark: optionFlag(options, 'watermark'),
		callbackUrl,
		externalTaskId,
		additionalParams: params.value,
		...(modelRules?.unchecked ? { modelFieldsUnchecked: modelRules.unchecked } : {}),
		toolCall: toolCallKey(ctx, itemIndex),
	});
}

/**
 * An item's inputs, or why they cannot be read: anything thrown while reading one item (an
 * expression that fails for it, its file) is that item's refusal, so Continue On Fail fails
 * only that item.
 */
async function readCreateInputsGuarded(
	ctx: IExecuteFunctions,
	itemIndex: number,
	callbackSecret: string,
	modelRules: ModelFieldRules | null,
): Promise<Check<CreateInputs>> {
	try {
		return await readCreateInputs(ctx, itemIndex, callbackSecret, modelRules);
	} catch (error) {
		const { message, description } = error as { message?: string; description?: unknown };
		return refuse(
			message ?? String(error),
			typeof description === 'string' && description !== ''
				? description
				: "Check this item's fields and their expressions; nothing was sent for this item.",
		);
	}
}

/**
 * What the video is made of: every input that changes it (not where its callbacks go).
 * Additional parameters join only when given, so keys made before they existed stay the same.
 */
function whatIsAskedFor(inputs: CreateInputs): Record<string, unknown> {
	return {
		image: inputs.imageDigest,
		...(inputs.imageTail ? { imageTail: inputs.imageTail.digest } : {}),
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
	const modelRules = await modelFieldRules(ctx);
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const inputsRead = await readCreateInputsGuarded(ctx, itemIndex, callbackSecret, modelRules);
		const read =
			(inputsRead.ok && ownIdTaken(inputsRead.value.externalTaskId, ownIds, itemIndex)) || inputsRead;
		if (!read.ok && !ctx.continueOnFail()) throw inputError(ctx, read, itemIndex);
		inputs.push(read);
	}
	const alwaysNew = optionFlag(
		readOptions(ctx, 0, { alwaysCreateNew: 'Always Create New Videos' }),
		'alwaysCreateNew',
	);
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

/** The request for a prepared create; its image is read only when the request body is built. */
export function createRequestFor(ctx: IExecuteFunctions, prepared: PreparedCreate): CreateTaskRequest {
	const { inputs } = prepared;
	return {
		image: imageData(ctx, prepared.itemIndex, inputs.image),
		...(inputs.imageTail ? { imageTail: imageData(ctx, prepared.itemIndex, inputs.imageTail.payload) } : {}),
		prompt: inputs.prompt,
		duration: inputs.duration,
		watermark: inputs.watermark,
		callbackUrl: inputs.callbackUrl,
		additionalParams: inputs.additionalParams,
		externalTaskId: prepared.externalTaskId,
		derivedExternalTaskId: prepared.derivedExternalTaskId,
	};
}
