import type { IDataObject } from 'n8n-workflow';

import type { CreateTaskRequest } from './types';

/**
 * The requests the package sends to the Kirin API (DESIGN §2): routes and bodies. What comes
 * back is read in parse.ts. A correction to the protocol is a change here.
 */

export const KIRIN_MODEL = 'kirin_v2_1_master_i2v';

export const ROUTES = {
	create: '/model/v1/generation',
	/** The price of a create, asked with the create's own body; not every host offers it. */
	precharge: '/model/v1/generation/precharge',
	task: (idOrExternalId: string) => `/model/v1/generation/task/${encodeURIComponent(idOrExternalId)}`,
} as const;

/**
 * The create envelope: one task of our model with its params. The pre-charge route takes the
 * same body, so a quote prices exactly what the create will send. Additional parameters come
 * first: the node's own fields always win (they are also refused in additional parameters).
 */
export function createBody(request: CreateTaskRequest): IDataObject {
	return {
		model: KIRIN_MODEL,
		input: [
			{
				params: {
					...request.additionalParams,
					image: request.image,
					prompt: request.prompt,
					duration: request.duration,
					watermark_info: { enabled: request.watermark },
					...(request.callbackUrl ? { callback_url: request.callbackUrl } : {}),
					external_task_id: request.externalTaskId,
				},
			},
		],
	};
}
