import type { IExecuteFunctions } from 'n8n-workflow';

import type { CreateTaskRequest } from '../../../shared/api/types';
import { decodeBase64Image } from '../../../shared/input/base64Image';
import { refuse, type Check } from '../../../shared/input/check';
import { checkImageBytes } from '../../../shared/input/imageRules';
import { checkDuration, checkHttpUrl, checkPrompt, checkTaskId } from '../../../shared/input/textRules';
import { deriveExternalTaskId } from './externalTaskId';

export type ImageSource = 'binary' | 'url' | 'base64';

// Formats the API refuses, recognisable from a URL without downloading it.
const REFUSED_URL_EXTENSIONS = /\.(gif|webp|heic|heif|avif|bmp|tiff?|svg)$/i;

async function readImage(ctx: IExecuteFunctions, itemIndex: number): Promise<Check<string>> {
	const source = ctx.getNodeParameter('imageSource', itemIndex) as ImageSource;
	if (source === 'url') {
		const url = checkHttpUrl(ctx.getNodeParameter('imageUrl', itemIndex, ''), 'The image URL');
		if (!url.ok) return url;
		const extension = REFUSED_URL_EXTENSIONS.exec(new URL(url.value).pathname);
		if (extension) {
			return refuse(
				`The image URL points to a .${extension[1].toLowerCase()} file; Kirin accepts only PNG or JPEG images.`,
			);
		}
		return url;
	}
	if (source === 'base64') {
		const decoded = decodeBase64Image(String(ctx.getNodeParameter('imageBase64', itemIndex, '')));
		if (!decoded.ok) return decoded;
		const image = checkImageBytes(decoded.value.bytes);
		return image.ok ? { ok: true, value: decoded.value.base64 } : image;
	}
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const item = ctx.getInputData()[itemIndex];
	if (!item?.binary?.[property]) {
		return refuse(
			`The item has no binary field "${property}": set Input Binary Field to the field that holds the image.`,
		);
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	const image = checkImageBytes(bytes);
	return image.ok ? { ok: true, value: bytes.toString('base64') } : image;
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
}

/**
 * Reads and checks one item's inputs. Everything the API would reject, and can be known
 * here, is rejected here, before any request and so before any cost.
 */
export async function buildCreateRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	callbackSecret: string,
): Promise<Check<CreateTaskRequest>> {
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

	let externalTaskId: string;
	if (options.externalTaskId !== undefined && String(options.externalTaskId).trim() !== '') {
		const checked = checkTaskId(options.externalTaskId, 'The external task ID');
		if (!checked.ok) return checked;
		externalTaskId = checked.value;
	} else {
		externalTaskId = deriveExternalTaskId({
			instanceId: ctx.getInstanceId(),
			workflowId: String(ctx.getWorkflow().id ?? ''),
			executionId: ctx.getExecutionId() ?? '',
			nodeId: ctx.getNode().id,
			itemIndex,
		});
	}

	return {
		ok: true,
		value: {
			image: image.value,
			prompt: prompt.value,
			duration: duration.value,
			watermark: options.watermark ?? false,
			callbackUrl,
			externalTaskId,
		},
	};
}
