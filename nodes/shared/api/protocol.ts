import type { IDataObject } from 'n8n-workflow';

import type { KirinTask } from './parse';
import type { CreateTaskRequest, ImageData } from './types';

/**
 * The requests the package sends to the Kirin API (docs/API.md, "Routes" and "The create body"):
 * routes and bodies. What comes back is read in parse.ts. A correction to the protocol is a change here.
 */

export const KIRIN_MODEL = 'kirin_v2_1_master_i2v';

export const ROUTES = {
	create: '/model/v1/generation',
	/** The price of a create, asked with the create's own body; not every host offers it. */
	precharge: '/model/v1/generation/precharge',
	task: (idOrExternalId: string) => `/model/v1/generation/task/${encodeURIComponent(idOrExternalId)}`,
	/** The model's live spec, on the gateway's models host (the credential's Model Spec URL), not the API's. */
	modelSpec: (modelId: string) => `/api/v1/skill/models/${encodeURIComponent(modelId)}/spec`,
} as const;

// Stand for the images in the serialised envelope; replaced by their bytes (see createBody).
const IMAGE_PLACEHOLDER = 'kirin-image-goes-here';
const TAIL_PLACEHOLDER = 'kirin-image-tail-goes-here';

/** How an image stands in the JSON: a URL as is, base64 by its placeholder. */
const inJson = (image: ImageData, placeholder: string) => (image.kind === 'url' ? image.url : placeholder);

/**
 * The params: the image first, the end frame (if any) second, then the model's other fields
 * (Model Fields, Additional Parameters), then the node's own fields. Assigning the node's fields
 * over the others keeps them winning whatever those hold, and the images stay the first params.
 */
function paramsOf(request: CreateTaskRequest): IDataObject {
	const image = inJson(request.image, IMAGE_PLACEHOLDER);
	const tail = request.imageTail ? { image_tail: inJson(request.imageTail, TAIL_PLACEHOLDER) } : {};
	const params: IDataObject = { image, ...tail, ...request.additionalParams };
	return Object.assign(params, {
		image,
		...tail,
		prompt: request.prompt,
		duration: request.duration,
		watermark_info: { enabled: request.watermark },
		...(request.callbackUrl ? { callback_url: request.callbackUrl } : {}),
		external_task_id: request.externalTaskId,
	});
}

/**
 * The create envelope, one task of our model with its params, as the JSON bytes to send. A
 * base64 image (megabytes) is written straight into the body: no string of it is ever made. The
 * pre-charge route takes the same body, so a quote prices exactly what the create will send.
 */
export async function createBody(request: CreateTaskRequest): Promise<Buffer> {
	const json = JSON.stringify({ model: KIRIN_MODEL, input: [{ params: paramsOf(request) }] });
	// The images are the first params, in this order, so each one's placeholder is the first one
	// after the previous image (even if a prompt happened to contain the same words).
	const streamed = [
		{ image: request.image, placeholder: IMAGE_PLACEHOLDER },
		...(request.imageTail ? [{ image: request.imageTail, placeholder: TAIL_PLACEHOLDER }] : []),
	].filter((entry) => entry.image.kind === 'base64');
	if (streamed.length === 0) return Buffer.from(json);
	const parts: Array<Buffer | Extract<ImageData, { kind: 'base64' }>> = [];
	let from = 0;
	for (const { image, placeholder } of streamed) {
		const at = json.indexOf(placeholder, from);
		parts.push(Buffer.from(json.slice(from, at)), image as Extract<ImageData, { kind: 'base64' }>);
		from = at + placeholder.length;
	}
	parts.push(Buffer.from(json.slice(from)));
	const length = parts.reduce((sum, part) => sum + part.length, 0);
	const body = Buffer.allocUnsafe(length);
	let offset = 0;
	for (const part of parts) {
		if (Buffer.isBuffer(part)) part.copy(body, offset);
		else await part.write(body.subarray(offset, offset + part.length));
		offset += part.length;
	}
	return body;
}

/**
 * A task as Kirin POSTs it to a callback URL, in the gateway's shape (docs/API.md, "Callbacks"), for a task the
 * node posts there itself: one reused from an earlier run, whose own callbacks went to that run's
 * URL. parse.ts reads it back as the same task; a Kirin Trigger checks it with Kirin anyway.
 */
export function callbackBody(task: KirinTask): IDataObject {
	const body: IDataObject = {
		id: task.id,
		status: task.rawStatus || task.status,
		external_task_id: task.externalTaskId,
		metadata: { external_task_id: task.externalTaskId },
		model: task.model,
		progress: task.progress,
		created_at: task.createdAt,
		completed_at: task.completedAt,
	};
	if (task.videos.length > 0) {
		body.output = [
			{
				content: task.videos.map((video) => ({
					type: video.type,
					url: video.url,
					duration: video.duration,
					jobId: video.jobId,
				})),
			},
		];
	}
	if (task.cost !== null || task.duration !== null) {
		body.usage = { cost: task.cost, discount: task.discount, duration: task.duration };
	}
	if (task.errorCode !== null || task.errorMessage !== null) {
		body.error = { code: task.errorCode, error_message: task.errorMessage };
	}
	return body;
}
