import type { Failure } from '../transport/outcome';
import type { Attempt } from '../transport/retry';
import type { KirinClient } from './client';
import { holdExternalId, type IdHold } from './createLocks';
import { outcomeUnknown, recordedTask, takenTask, taskNamedIn } from './createLookups';
import { ownIdKeptByFailedTaskError, takenIdNotShownError } from './createErrors';
import { isAmbiguousCreate, isTakenExternalId, isTransient } from './failures';
import { forgetUnsureCreate, rememberTask, rememberUnsureCreate, unsureCreateOf } from './knownTasks';
import { parseTask, type KirinTask } from './parse';
import { createBody, ROUTES } from './protocol';
import { isSpent } from './status';
import { externalLookupWorks, findByExternalId } from './tasks';
import type { CreateTaskRequest } from './types';

/**
 * Creating a task once: never twice for one intended video. An item first claims its external
 * task ID (a task made for it before is reused), then the create is sent, and an answer that
 * leaves its outcome open is settled by looking the task up, never by sending it again blindly.
 * The claim holds the ID in this process until the create has answered (createLocks.ts), so an
 * overlapping execution waits and reuses the task; an API that refuses the ID as taken (another
 * process made it) gets it looked up and reused, never sent again.
 */

export interface CreateResult {
	task: KirinTask;
	/** True when the task was made before this run (nothing new was paid for). */
	reused: boolean;
}

/** A derived external task ID gives up after this many failed tasks for the same video. */
const MAX_ATTEMPTS = 1000;

/**
 * Where a create stands before it is sent: a task to reuse, or the external task ID to create
 * under, held in this process (`hold`) until the create has answered.
 */
export type Claim = { reuse: KirinTask } | { externalTaskId: string; hold: IdHold };
/** A claim's lookup, before it holds anything. */
type Found = { reuse: KirinTask } | { externalTaskId: string };

/**
 * The task to reuse for this request, or the external task ID to create it under. A task that
 * is completed or still being made is reused; a failed one never is: a derived ID then moves on
 * to its next attempt (`<id>-2`, `<id>-3`, …), a user's own ID is used again as given. Spend
 * limits claim every item before pricing it (a reused task costs nothing) and hand the claim to
 * createTask, so the lookup is not made twice. The request's external task ID (every attempt's
 * base) is held first, or was (`hold`, from a run holding all its IDs); a claim to create keeps
 * it held, any other outcome lets go of it.
 */
export async function claimTask(
	client: KirinClient,
	request: Pick<CreateTaskRequest, 'externalTaskId' | 'derivedExternalTaskId'>,
	itemIndex: number,
	hold?: IdHold,
): Promise<Claim> {
	const { baseUrl, options, ctx } = client;
	const held = hold ?? (await holdExternalId(baseUrl, request.externalTaskId, options.signal, ctx.getNode()));
	let claim: Found | undefined;
	try {
		claim = await lookForClaim(client, request, itemIndex);
	} finally {
		// Held on only to create under it; a lookup that threw, or a task to reuse, lets go.
		if (!claim || 'reuse' in claim) held.release();
	}
	return 'reuse' in claim ? claim : { externalTaskId: claim.externalTaskId, hold: held };
}

async function lookForClaim(
	client: KirinClient,
	request: Pick<CreateTaskRequest, 'externalTaskId' | 'derivedExternalTaskId'>,
	itemIndex: number,
): Promise<Found> {
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const externalTaskId = attempt === 1 ? request.externalTaskId : `${request.externalTaskId}-${attempt}`;
		const task = await findByExternalId(client, externalTaskId, itemIndex);
		if (task === null) return await unclaimed(client, externalTaskId, itemIndex);
		if (!isSpent(task.status)) return { reuse: task };
		if (!request.derivedExternalTaskId) return againUnderOwnId(client, externalTaskId, itemIndex);
	}
	return { externalTaskId: `${request.externalTaskId}-${MAX_ATTEMPTS + 1}` };
}

/**
 * No task under this external task ID, as far as the API says: free to create under, unless an
 * earlier create under it got no clear answer and the API's 404 proves nothing (its lookup by
 * external task ID is not known to work). Then sending it again might buy a second video, so
 * the item fails as that create did, naming the ID, for n8n's Retry On Fail and any later run.
 */
async function unclaimed(client: KirinClient, externalTaskId: string, itemIndex: number): Promise<Found> {
	const unsure = unsureCreateOf(client.baseUrl, externalTaskId);
	if (unsure && !(await externalLookupWorks(client, itemIndex, undefined, externalTaskId))) {
		throw outcomeUnknown(client, unsure, externalTaskId, itemIndex);
	}
	forgetUnsureCreate(client.baseUrl, externalTaskId);
	return { externalTaskId };
}

/**
 * A user's own external task ID whose task failed is used again as given, unless a create under
 * it since then got no clear answer: the API shows the failed task whether or not that create
 * took effect, so only the failed task proves nothing.
 */
function againUnderOwnId(client: KirinClient, externalTaskId: string, itemIndex: number): Found {
	const unsure = unsureCreateOf(client.baseUrl, externalTaskId);
	if (unsure) throw outcomeUnknown(client, unsure, externalTaskId, itemIndex);
	return { externalTaskId };
}

/**
 * Creates one task, or returns the one already made for this request. Never POSTs again unless
 * it is known that the previous POST did not take effect: after an answer that leaves it open
 * (no answer, a reset, a 5xx, an unreadable 2xx) the task is looked up at once and again before
 * the next POST, and if it cannot be found and a 404 proves nothing here (or the answer was an
 * unreadable 2xx), the item fails naming its external task ID. A refusal of the ID as taken
 * means the task exists: it is looked up (again after each backoff) and reused, and if the API
 * never shows it the item fails naming the ID. `claimed`: the claim made for this request a
 * moment ago, if any; the ID it holds is let go once the create has answered, whatever happened.
 */
export async function createTask(
	client: KirinClient,
	request: CreateTaskRequest,
	itemIndex: number,
	claimed?: Claim,
): Promise<CreateResult> {
	const claim = claimed ?? (await claimTask(client, request, itemIndex));
	if ('reuse' in claim) return { task: claim.reuse, reused: true };
	try {
		return await createUnder(client, request, claim.externalTaskId, itemIndex);
	} finally {
		claim.hold.release();
	}
}

async function createUnder(
	client: KirinClient,
	request: CreateTaskRequest,
	externalTaskId: string,
	itemIndex: number,
): Promise<CreateResult> {
	// The image is read now, once the create is certain, and goes as soon as the call returns.
	const body = await createBody({ ...request, externalTaskId });
	// Set once a create's answer was lost and the API said it had no such task: a slow gateway
	// may still record it, so before paying again the next attempt (after its backoff) asks again.
	let lostAnswer: Failure | null = null;
	// Set once the API refused the ID as taken: from then on only looked up, never sent again.
	let taken: Failure | null = null;
	let reused = true;
	// The failed task Kirin's own lookup showed under the user's own ID, if any. A later look that
	// shows nothing (or fails) does not clear it: only a live task under the ID ends the question.
	let keptBy: KirinTask | null = null;
	// The task under a taken ID, once Kirin shows it (until then, ask again after the backoff). A
	// user's own ID used again after its task failed may be kept by Kirin for that failed task, or
	// taken a moment ago by another worker's new task that Kirin's lookup does not show yet: the
	// failed task is asked about again until the backoff runs out, and only if Kirin still shows it
	// then does the item fail asking for a new ID (nothing was bought, and it is not this run's video).
	const settleTaken = (failure: Failure, found: KirinTask | null): Attempt<CreateResult> => {
		if (found === null) return { failure, retry: true };
		if (isSpent(found.status) && reused && !request.derivedExternalTaskId) {
			keptBy = found;
			return { failure, retry: true };
		}
		return { done: { task: found, reused } };
	};
	const result = await client.retrying<CreateResult>(async () => {
		if (taken) return settleTaken(taken, await takenTask(client, externalTaskId, itemIndex));
		if (lostAnswer) {
			const late = await recordedTask(client, lostAnswer, externalTaskId, itemIndex, true);
			if (late) return { done: { task: late, reused: false } };
		}
		const answer = await client.ask('POST', ROUTES.create, (got) => parseTask(got, externalTaskId), body);
		if (answer.ok) {
			const task = answer.value;
			rememberTask(client.baseUrl, externalTaskId, task.id);
			client.ctx.logger.debug('Kirin task created', { taskId: task.id, itemIndex });
			return { done: { task, reused: false } };
		}
		const { failure } = answer;
		if (failure.kind === 'bad-body' && answer.unreadBody !== undefined) {
			const named = await taskNamedIn(client, answer.unreadBody, externalTaskId, itemIndex);
			if (named) return { done: { task: named, reused: false } };
		}
		if (isTakenExternalId(failure, externalTaskId)) {
			client.ctx.logger.debug('Kirin refused the external task ID as taken: reusing its task', {
				itemIndex,
			});
			taken = failure;
			// Taken after this create's own answer was lost, the task is probably its own.
			reused = lostAnswer === null;
			return settleTaken(failure, await takenTask(client, externalTaskId, itemIndex));
		}
		if (!isAmbiguousCreate(failure)) return { failure, retry: isTransient(failure) };

		// The task may exist although the answer was lost: asking costs nothing, creating again might.
		const recorded = await recordedTask(client, failure, externalTaskId, itemIndex);
		if (recorded) return { done: { task: recorded, reused: false } };
		if (
			failure.kind !== 'bad-body' &&
			(await externalLookupWorks(client, itemIndex, undefined, externalTaskId))
		) {
			lostAnswer = failure;
			return { failure, retry: isTransient(failure) };
		}
		throw outcomeUnknown(client, failure, externalTaskId, itemIndex);
	});
	if (result.ok) return result.value;
	if (taken && keptBy) {
		const { id: taskId } = keptBy;
		const context = { itemIndex, externalTaskId, taskId };
		throw ownIdKeptByFailedTaskError(client.ctx.getNode(), taken, context, client.redact);
	}
	if (taken) {
		// A task exists under the ID, not found yet: never to be sent again from this process.
		rememberUnsureCreate(client.baseUrl, externalTaskId, taken);
		throw takenIdNotShownError(client.ctx.getNode(), taken, { itemIndex, externalTaskId }, client.redact);
	}
	throw client.fail(result.failure, result.attempts, itemIndex);
}
