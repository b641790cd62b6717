import type { IDataObject } from 'n8n-workflow';

import type { KirinTask } from './parse';
import type { CreateTaskRequest } from './types';

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
} as const;

// Stands for the image in the serialised envelope; replaced by the image's bytes (see createBody).
const IMAGE_PLACEHOLDER = 'kirin-image-goes-here';

/**
 * The params: the image first, then the additional parameters (Options), then the node's own
 * fields. Assigning the node's fields over the additional ones keeps them winning whatever the
 * additional parameters hold (they are refused there anyway), and the image stays the first param.
 */
function paramsOf(request: CreateTaskRequest, image: string): IDataObject {
	const params: IDataObject = { image, ...request.additionalParams };
	return Object.assign(params, {
		image,
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
	const { image } = request;
	const json = JSON.stringify({
		model: KIRIN_MODEL,
		input: [{ params: paramsOf(request, image.kind === 'url' ? image.url : IMAGE_PLACEHOLDER) }],
	});
	if (image.kind === 'url') return Buffer.from(json);
	// The image is the first param, so the first placeholder is the image's (even if a prompt
	// happened to contain the same words).
	const at = json.indexOf(IMAGE_PLACEHOLDER);
	const prefix = Buffer.from(json.slice(0, at));
	const suffix = Buffer.from(json.slice(at + IMAGE_PLACEHOLDER.length));
	const body = Buffer.allocUnsafe(prefix.length + image.length + suffix.length);
	prefix.copy(body);
	await image.write(body.subarray(prefix.length, prefix.length + image.length));
	suffix.copy(body, prefix.length + image.length);
	return body;
}

/**
 * A task as Kirin POSTs it to a callback URL, in the gateway's shape (DESIGN §2), for a task the
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
