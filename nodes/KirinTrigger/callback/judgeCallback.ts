import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { CALLBACK_CLIENT_OPTIONS } from '../../shared/api/callbackOptions';
import { KirinClient } from '../../shared/api/client';
import { tokenMatches } from '../../shared/api/credentials';
import { parseTask, type KirinTask } from '../../shared/api/parse';
import { isFinal, type TaskStatus } from '../../shared/api/status';
import { findTask } from '../../shared/api/tasks';
import { readCredentialsJoined } from '../../shared/api/joinedCredentialRead';
import { alreadyDelivered, firstDelivery } from './deliveries';
import { wantsStatus, type EventChoice } from './events';

export interface TriggerSettings {
	events: EventChoice[];
	verify: boolean;
	requireToken: boolean;
}

/** What to do with one callback. Only `accept` starts a workflow run. */
export type Verdict =
	| { kind: 'reject'; httpStatus: 400 | 401 | 403 | 409 | 503; reason: string }
	| { kind: 'ignore'; reason: 'status not selected' | 'already delivered' | 'superseded'; task: KirinTask }
	| { kind: 'accept'; task: KirinTask; client: KirinClient };

const STAGE: Record<TaskStatus, number> = { queued: 0, processing: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * A callback for a status the task has since left is late, not forged: the API POSTs each
 * change, and the "queued" one often arrives after the task started processing. Only a final
 * status the API does not confirm is a lie.
 */
function isStale(claimed: TaskStatus, known: TaskStatus): boolean {
	return !isFinal(claimed) && STAGE[known] > STAGE[claimed];
}

/**
 * Decides whether a callback is real, wanted and new. The body is a claim; with verification
 * on, the API's own answer for that task ID is what counts.
 */
export async function judgeCallback(ctx: IWebhookFunctions, settings: TriggerSettings): Promise<Verdict> {
	// The trigger must answer quickly: an outage the short retry does not cover gets a 503.
	const client = await KirinClient.connect(ctx, CALLBACK_CLIENT_OPTIONS, await readCredentialsJoined(ctx));

	if (settings.requireToken) {
		const { token } = ctx.getQueryData() as IDataObject;
		if (!tokenMatches(token, client.callbackSecret)) {
			return { kind: 'reject', httpStatus: 401, reason: 'missing or wrong token' };
		}
	}

	const claimed = parseTask(ctx.getBodyData());
	if (claimed === null) return { kind: 'reject', httpStatus: 400, reason: 'not a Kirin task' };

	// Nothing would start for this status whatever the API says, so there is nothing to verify.
	if (!wantsStatus(settings.events, claimed.status)) {
		return { kind: 'ignore', reason: 'status not selected', task: claimed };
	}

	// A repeat starts nothing whatever the API says: drop it before spending a request on it.
	const scope = `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().name}`;
	const staticData = ctx.getWorkflowStaticData('node');
	if (alreadyDelivered(scope, staticData, claimed.id, claimed.status)) {
		return { kind: 'ignore', reason: 'already delivered', task: claimed };
	}

	let task = claimed;
	if (settings.verify) {
		let known: KirinTask | null;
		try {
			known = await findTask(client, claimed.id, 0);
		} catch (error) {
			ctx.logger.warn('Kirin Trigger could not verify a callback; asking the sender to retry', {
				taskId: claimed.id,
				error: client.redact((error as Error).message),
			});
			return { kind: 'reject', httpStatus: 503, reason: 'could not verify the task with Kirin' };
		}
		if (known === null) return { kind: 'reject', httpStatus: 403, reason: 'unknown task' };
		if (known.status !== claimed.status) {
			if (isStale(claimed.status, known.status)) return { kind: 'ignore', reason: 'superseded', task: known };
			return { kind: 'reject', httpStatus: 409, reason: 'status does not match Kirin' };
		}
		task = known;
	}

	if (!firstDelivery(scope, staticData, task.id, task.status)) {
		return { kind: 'ignore', reason: 'already delivered', task };
	}
	return { kind: 'accept', task, client };
}
