import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { readCredentials } from '../../shared/api/credentials';
import type { CreateTaskRequest } from '../../shared/api/types';
import type { Check } from '../../shared/input/check';
import { toOutputItems, type ItemResult } from '../actions/common/results';
import { readTimeLimitMs } from '../actions/common/settings';
import { signedResumeUrl } from './resumeUrl';

/**
 * "Pause Until Kirin Calls Back", the execution side: the tasks are created with this
 * execution's resume URL as their callback, then n8n stores the execution and frees the worker
 * until the URL is called (resumeWebhook.ts) or the time limit passes.
 */

/** The resume URL carries every item's external task ID; beyond this it grows too long. */
export const MAX_PAUSED_ITEMS = 25;

/** Points every item's task at this execution's resume URL, which knows all the items' tasks. */
export async function pointCallbacksHere(
	ctx: IExecuteFunctions,
	requests: Array<Check<CreateTaskRequest>>,
): Promise<void> {
	const ready = requests.filter((request) => request.ok);
	if (requests.length > MAX_PAUSED_ITEMS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Pause Until Kirin Calls Back handles up to ${MAX_PAUSED_ITEMS} items per execution and this run has ${requests.length}: choose Wait Method "Poll", or create without waiting and handle the videos with a Kirin Trigger.`,
		);
	}
	if (ready.some((request) => request.value.callbackUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Pause Until Kirin Calls Back sets the callback URL itself: remove Options → Callback URL, or choose Wait Method "Poll".',
		);
	}
	const { apiKey } = await readCredentials(ctx);
	// n8n's own URL, with its resume token: n8n refuses any call to it without that token.
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const url = signedResumeUrl(
		resumeUrl,
		ctx.getExecutionId(),
		apiKey,
		ready.map((request) => request.value.externalTaskId),
	);
	for (const request of ready) request.value.callbackUrl = url;
}

/** Stores the execution as waiting, with the created tasks as the node's output until then. */
export async function pauseUntilCalledBack(
	ctx: IExecuteFunctions,
	created: ItemResult[],
): Promise<INodeExecutionData[]> {
	const output = toOutputItems(ctx, created, 'data');
	await ctx.putExecutionToWait(new Date(Date.now() + readTimeLimitMs(ctx)));
	return output;
}
