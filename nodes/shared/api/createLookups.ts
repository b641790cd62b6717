import type { Failure } from '../transport/outcome';
import type { KirinClient } from './client';
import { createOutcomeUnknownError } from './createErrors';
import { rememberTask, rememberUnsureCreate } from './knownTasks';
import { parseTaskId, type KirinTask } from './parse';
import { isSpent } from './status';
import { findByExternalId, findTask, shownUnderExternalId } from './tasks';

/**
 * Finding the task a create may have made when its answer did not say so plainly: the answer was
 * lost, named only a task ID, or refused the external task ID as taken. createOnce.ts decides what
 * each finding means; these only look, and never send a create.
 */

/** The item fails naming its external task ID, which is remembered as unsure (see unclaimed). */
export function outcomeUnknown(
	client: KirinClient,
	failure: Failure,
	externalTaskId: string,
	itemIndex: number,
) {
	rememberUnsureCreate(client.baseUrl, externalTaskId, failure);
	return createOutcomeUnknownError(client.ctx.getNode(), failure, {
		itemIndex,
		externalTaskId,
		timeoutMs: client.options.requestTimeoutMs,
	});
}

/**
 * The task a create whose answer was lost (`failure`) left under its external task ID, or null
 * if the API has none. A lookup that fails proves nothing: the item fails, naming the ID. So
 * does a failed task found at once (the one before, under a user's own ID used again); found
 * `late`, after a lookup had shown no task under the ID, a failed task is this create's own.
 */
export async function recordedTask(
	client: KirinClient,
	failure: Failure,
	externalTaskId: string,
	itemIndex: number,
	late = false,
): Promise<KirinTask | null> {
	let recorded: KirinTask | null;
	try {
		recorded = await findByExternalId(client, externalTaskId, itemIndex);
	} catch {
		throw outcomeUnknown(client, failure, externalTaskId, itemIndex);
	}
	if (recorded && !late && isSpent(recorded.status))
		throw outcomeUnknown(client, failure, externalTaskId, itemIndex);
	return recorded;
}

/**
 * The task a 2xx create answer names when the rest of it cannot be read (no status, say): the
 * task was made, so it is asked for by its ID (this works on every API, unlike a look-up by
 * external task ID). Null when the answer names no ID or the task cannot be fetched: the create
 * is then settled as any unreadable answer is, never by sending it again.
 */
export async function taskNamedIn(
	client: KirinClient,
	body: unknown,
	externalTaskId: string,
	itemIndex: number,
): Promise<KirinTask | null> {
	const id = parseTaskId(body);
	if (id === null) return null;
	try {
		const task = await findTask(client, id, itemIndex, externalTaskId);
		// A task the API files under another external task ID is not this create's: never handed on.
		if (task === null || task.externalTaskId !== externalTaskId) return null;
		rememberTask(client.baseUrl, externalTaskId, task.id);
		return task;
	} catch {
		return null;
	}
}

/**
 * The task under an external task ID the API refused as taken (another n8n process created it a
 * moment ago, or the API keeps IDs unique), or null while the API does not show it. Only what the
 * API shows counts: a failed task this process remembers under the ID says nothing of what took
 * it since. A lookup that fails shows nothing either: the caller asks again after its backoff,
 * never creates again.
 */
export async function takenTask(client: KirinClient, externalTaskId: string, itemIndex: number) {
	try {
		return await shownUnderExternalId(client, externalTaskId, itemIndex);
	} catch {
		return null;
	}
}
