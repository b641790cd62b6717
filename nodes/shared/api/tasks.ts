import type { NodeApiError } from 'n8n-workflow';

import type { Failure } from '../transport/outcome';
import type { KirinClient } from './client';
import { createOutcomeUnknownError } from './errors';
import { isAmbiguousCreate, isTransient, notATask } from './failures';
import {
	anyKnownTask,
	externalLookupOf,
	forgetTask,
	learnExternalLookup,
	recallTask,
	rememberTask,
} from './knownTasks';
import { parseTask, type KirinTask } from './parse';
import { createBody, ROUTES } from './protocol';
import type { CreateTaskRequest } from './types';

/** Asking the API about tasks: create one (once), get one, find one by its external task ID. */

export interface CreateResult {
	task: KirinTask;
	/** True when the task was made before this run (nothing new was paid for). */
	reused: boolean;
}

type LookUp = { task: KirinTask } | { failure: Failure; attempts: number };

/** GET a task, with retries on 429, 5xx, network errors, unreadable bodies and 8002009099. */
async function lookUp(
	client: KirinClient,
	ref: string,
	itemIndex: number,
	externalTaskId?: string,
): Promise<LookUp> {
	const result = await client.retrying<KirinTask>(async () => {
		const outcome = await client.send('GET', ROUTES.task(ref));
		const task = outcome.kind === 'ok' ? parseTask(outcome.body, externalTaskId) : null;
		if (task) return { done: task };
		const failure = outcome.kind === 'ok' ? notATask(outcome.status, outcome.body) : outcome;
		return { failure, retry: isTransient(failure) };
	});
	if (result.ok) return { task: result.value };
	client.ctx.logger.debug('Kirin task lookup failed', {
		itemIndex,
		kind: result.failure.kind,
		attempt: result.attempts,
	});
	return { failure: result.failure, attempts: result.attempts };
}

/** One status check, no retries: the task, or why not and whether asking again later could help. */
export type Check =
	| { ok: true; task: KirinTask }
	| { ok: false; failure: Failure; transient: boolean; error: NodeApiError };

/**
 * Asks once for a task. For waits: the wait's own schedule is the retry, so an outage costs
 * one request per check, and lasts as long as the time limit allows.
 */
export async function checkTask(client: KirinClient, ref: string, itemIndex: number): Promise<Check> {
	const outcome = await client.send('GET', ROUTES.task(ref));
	const task = outcome.kind === 'ok' ? parseTask(outcome.body) : null;
	if (task) return { ok: true, task };
	const failure = outcome.kind === 'ok' ? notATask(outcome.status, outcome.body) : outcome;
	return {
		ok: false,
		failure,
		transient: isTransient(failure),
		error: client.fail(failure, 1, itemIndex, ref),
	};
}

/** The task with this ID or external task ID; a NodeApiError if there is none. */
export async function getTask(
	client: KirinClient,
	ref: string,
	itemIndex: number,
	externalTaskId?: string,
): Promise<KirinTask> {
	const result = await lookUp(client, ref, itemIndex, externalTaskId);
	if ('task' in result) return result.task;
	throw client.fail(result.failure, result.attempts, itemIndex, ref);
}

/** Like getTask, but null when the API does not know the task. */
export async function findTask(
	client: KirinClient,
	ref: string,
	itemIndex: number,
	externalTaskId?: string,
): Promise<KirinTask | null> {
	const result = await lookUp(client, ref, itemIndex, externalTaskId);
	if ('task' in result) return result.task;
	if (result.failure.kind === 'http-error' && result.failure.status === 404) return null;
	throw client.fail(result.failure, result.attempts, itemIndex, ref);
}

/**
 * The task under an external task ID: one this process made or found (asked for by its own ID),
 * else the API's lookup by external task ID. Null when neither knows it.
 */
export async function findByExternalId(
	client: KirinClient,
	externalTaskId: string,
	itemIndex: number,
): Promise<KirinTask | null> {
	const known = recallTask(client.baseUrl, externalTaskId);
	if (known) {
		const task = await findTask(client, known, itemIndex, externalTaskId);
		if (task) return task;
		forgetTask(client.baseUrl, externalTaskId);
	}
	const task = await findTask(client, externalTaskId, itemIndex, externalTaskId);
	if (task && task.id !== externalTaskId) {
		learnExternalLookup(client.baseUrl, 'works');
		rememberTask(client.baseUrl, externalTaskId, task.id);
	}
	return task;
}

/** Like findByExternalId, but a NodeApiError when there is no such task. */
export async function getTaskByExternalId(
	client: KirinClient,
	externalTaskId: string,
	itemIndex: number,
): Promise<KirinTask> {
	const task = await findByExternalId(client, externalTaskId, itemIndex);
	if (task) return task;
	const notFound: Failure = { kind: 'http-error', status: 404, body: undefined, retryAfterMs: null };
	throw client.fail(notFound, 1, itemIndex, externalTaskId);
}

/**
 * Whether this API finds a task by its external task ID, so that a 404 proves there is no such
 * task. Learned once per process: from any lookup that found a task that way, else by asking
 * once about a task this process knows (`sample`, or any it remembers other than `except`).
 * Until then it counts as "no": a wrong "yes" could cost a second video.
 */
export async function externalLookupWorks(
	client: KirinClient,
	itemIndex: number,
	sample?: { externalTaskId: string; taskId: string },
	except?: string,
): Promise<boolean> {
	const state = externalLookupOf(client.baseUrl);
	if (state !== 'unknown') return state === 'works';
	const known = sample ?? anyKnownTask(client.baseUrl, except ?? '');
	if (!known) return false;
	let found: KirinTask | null;
	try {
		found = await findTask(client, known.externalTaskId, itemIndex);
	} catch {
		return false;
	}
	if (found === null) learnExternalLookup(client.baseUrl, 'missing');
	else if (found.id === known.taskId) learnExternalLookup(client.baseUrl, 'works');
	return externalLookupOf(client.baseUrl) === 'works';
}

function isSpent(task: KirinTask): boolean {
	return task.status === 'failed' || task.status === 'cancelled';
}

/** A derived external task ID gives up after this many failed tasks for the same video. */
const MAX_ATTEMPTS = 1000;

/** Where a create stands before it is sent: a task to reuse, or the external task ID to create under. */
export type Claim = { reuse: KirinTask } | { externalTaskId: string };

/**
 * The task to reuse for this request, or the external task ID to create it under. A task that
 * is completed or still being made is reused; a failed one never is: a derived ID then moves on
 * to its next attempt (`<id>-2`, `<id>-3`, …), a user's own ID is used again as given. Spend
 * limits claim every item before pricing it (a reused task costs nothing) and hand the claim to
 * createTask, so the lookup is not made twice.
 */
export async function claimTask(
	client: KirinClient,
	request: Pick<CreateTaskRequest, 'externalTaskId' | 'derivedExternalTaskId'>,
	itemIndex: number,
): Promise<Claim> {
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const externalTaskId = attempt === 1 ? request.externalTaskId : `${request.externalTaskId}-${attempt}`;
		const task = await findByExternalId(client, externalTaskId, itemIndex);
		if (task === null) return { externalTaskId };
		if (!isSpent(task)) return { reuse: task };
		if (!request.derivedExternalTaskId) return { externalTaskId };
	}
	return { externalTaskId: `${request.externalTaskId}-${MAX_ATTEMPTS + 1}` };
}

/**
 * Creates one task, or returns the one already made for this request. Never POSTs again unless
 * it is known that the previous POST did not take effect: after an answer that leaves it open
 * (no answer, a reset, a 5xx, an unreadable 2xx) the task is looked up, and if it cannot be
 * found and a 404 proves nothing here (or the answer was an unreadable 2xx), the item fails
 * naming its external task ID. `claimed`: the claim made for this request a moment ago, if any.
 */
export async function createTask(
	client: KirinClient,
	request: CreateTaskRequest,
	itemIndex: number,
	claimed?: Claim,
): Promise<CreateResult> {
	const claim = claimed ?? (await claimTask(client, request, itemIndex));
	if ('reuse' in claim) return { task: claim.reuse, reused: true };
	const { externalTaskId } = claim;

	// The image is read now, once the create is certain, and goes as soon as the call returns.
	const body = await createBody({ ...request, externalTaskId });
	const result = await client.retrying<CreateResult>(async () => {
		const outcome = await client.send('POST', ROUTES.create, body);
		const task = outcome.kind === 'ok' ? parseTask(outcome.body, externalTaskId) : null;
		if (task) {
			rememberTask(client.baseUrl, externalTaskId, task.id);
			client.ctx.logger.debug('Kirin task created', { taskId: task.id, itemIndex });
			return { done: { task, reused: false } };
		}
		const failure = outcome.kind === 'ok' ? notATask(outcome.status, outcome.body) : outcome;
		if (!isAmbiguousCreate(failure)) return { failure, retry: isTransient(failure) };

		// The task may exist although the answer was lost: asking costs nothing, creating again might.
		let recorded: KirinTask | null;
		try {
			recorded = await findByExternalId(client, externalTaskId, itemIndex);
		} catch {
			throw createOutcomeUnknownError(client.ctx.getNode(), failure, {
				itemIndex,
				externalTaskId,
				timeoutMs: client.options.requestTimeoutMs,
			});
		}
		if (recorded) return { done: { task: recorded, reused: false } };
		if (
			failure.kind !== 'bad-body' &&
			(await externalLookupWorks(client, itemIndex, undefined, externalTaskId))
		) {
			return { failure, retry: isTransient(failure) };
		}
		throw createOutcomeUnknownError(client.ctx.getNode(), failure, {
			itemIndex,
			externalTaskId,
			timeoutMs: client.options.requestTimeoutMs,
		});
	});
	if (result.ok) return result.value;
	throw client.fail(result.failure, result.attempts, itemIndex);
}
