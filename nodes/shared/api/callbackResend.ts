import { requestJson } from '../transport/request';
import type { KirinClient } from './client';
import { isTransient } from './failures';
import type { KirinTask } from './parse';
import { callbackBody } from './protocol';

/**
 * Posts a task to a callback URL as Kirin would (callbackBody), for a task whose own callbacks
 * go elsewhere. Through n8n's request helper without the credential: the API key never goes
 * there, only the task (the URL carries the callback secret as `?token=` when the credential has
 * one, as the URL given to Kirin does). Retried like any request on what may pass (a trigger that
 * could not reach Kirin to verify answers 503). True when the URL answered 2xx.
 */
export async function resendCallback(client: KirinClient, url: string, task: KirinTask): Promise<boolean> {
	const body = callbackBody(task);
	const result = await client.retrying<true>(async () => {
		const outcome = await requestJson(
			client.ctx,
			{ method: 'POST', url, body, timeoutMs: client.options.requestTimeoutMs, credential: null },
			client.options.signal,
		);
		// A 2xx is received, whatever its body: a receiver other than a Kirin Trigger may answer anything.
		if (outcome.kind === 'ok' || outcome.kind === 'bad-body') return { done: true };
		return { failure: outcome, retry: isTransient(outcome) };
	});
	if (!result.ok) {
		// The URL is not logged: it may carry the callback secret.
		client.ctx.logger.warn('Kirin could not post a reused task to the Callback URL', {
			taskId: task.id,
			kind: result.failure.kind,
			httpStatus: result.failure.kind === 'http-error' ? result.failure.status : undefined,
		});
	}
	return result.ok;
}
