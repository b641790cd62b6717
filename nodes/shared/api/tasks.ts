import type { NodeApiError } from 'n8n-workflow';

import type { Failure } from '../transport/outcome';
import type { KirinClient } from './client';
import { noTaskUnderExternalIdError } from './errors';
import { isTransient } from './failures';
import {
	anyKnownTask,
	externalLookupOf,
	forgetTask,
	learnExternalLookup,
	recallTask,
	rememberTask,
} from './knownTasks';
import { parseTask, type KirinTask } from './parse';
import { ROUTES } from './protocol';
import { isSpent } from './status';

/** Asking the API about tasks: get one, check one, find one by its external task ID. */

type LookUp = { task: KirinTask } | { failure: Failure; attempts: number };

/** GET a task, with retries on 429, 5xx, network errors, unreadable bodies and 8002009099. */
async function lookUp(
	client: KirinClient,
	ref: string,
	itemIndex: number,
	externalTaskId?: string,
): Promise<LookUp> {
	const result = await client.retrying<KirinTask>(async () => {
		const answer = await client.ask('GET', ROUTES.task(ref), (body) => parseTask(body, externalTaskId));
		if (answer.ok) return { done: answer.value };
		return { failure: answer.failure, retry: isTransient(answer.failure) };
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
export type StatusCheck =
	| { ok: true; task: KirinTask }
	| { ok: false; failure: Failure; transient: boolean; error: NodeApiError };

/**
 * Asks once for a task. For waits: the wait's own schedule is the retry, so an outage costs
 * one request per check, and lasts as long as the time limit allows.
 */
export async function checkTask(client: KirinClient, ref: string, itemIndex: number): Promise<StatusCheck> {
	const answer = await client.ask('GET', ROUTES.task(ref), (body) => parseTask(body));
	if (answer.ok) return { ok: true, task: answer.value };
	const { failure } = answer;
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
 * else the API's lookup by external task ID. Null when neither knows it. A remembered task that
 * failed may have been followed by another under the same ID (a user's own ID is used again
 * after a failure), so the API is asked too, and its answer wins.
 */
export async function findByExternalId(
	client: KirinClient,
	externalTaskId: string,
	itemIndex: number,
): Promise<KirinTask | null> {
	const { shown, spentRemembered } = await lookUpExternalId(client, externalTaskId, itemIndex);
	return shown ?? spentRemembered;
}

/**
 * Like findByExternalId, but only what the API shows under the ID now: never a failed task this
 * process merely remembers, which another worker's new task under the same ID may have followed
 * without the API's lookup showing it yet. For a create refused as taken, where the remembered
 * task is no evidence of what took the ID.
 */
export async function shownUnderExternalId(
	client: KirinClient,
	externalTaskId: string,
	itemIndex: number,
): Promise<KirinTask | null> {
	return (await lookUpExternalId(client, externalTaskId, itemIndex)).shown;
}

/**
 * `shown`: a remembered task still alive, else the API's lookup by external task ID; `spentRemembered`:
 * the remembered task when it failed, kept apart because it proves only what was, not what is.
 */
async function lookUpExternalId(
	client: KirinClient,
	externalTaskId: string,
	itemIndex: number,
): Promise<{ shown: KirinTask | null; spentRemembered: KirinTask | null }> {
	const known = recallTask(client.baseUrl, externalTaskId);
	let remembered: KirinTask | null = null;
	if (known) {
		remembered = await findTask(client, known, itemIndex, externalTaskId);
		if (remembered && !isSpent(remembered.status)) return { shown: remembered, spentRemembered: null };
		if (remembered === null) forgetTask(client.baseUrl, externalTaskId);
	}
	const task = underExternalId(await findTask(client, externalTaskId, itemIndex), externalTaskId);
	if (task && task.id !== externalTaskId) {
		learnExternalLookup(client.baseUrl, 'works');
		rememberTask(client.baseUrl, externalTaskId, task.id);
	}
	return { shown: task, spentRemembered: remembered };
}

/**
 * The task the lookup route gave, if it is the one under this external task ID. The route takes
 * task IDs too: a task that names another external task ID, or one found by its own ID that names
 * none (an External Task ID that happens to be an old task's ID), belongs to another create, and
 * its video must never be handed on.
 */
function underExternalId(task: KirinTask | null, externalTaskId: string): KirinTask | null {
	if (task === null) return null;
	if (task.externalTaskId === null) return task.id === externalTaskId ? null : { ...task, externalTaskId };
	return task.externalTaskId === externalTaskId ? task : null;
}

/**
 * Like findByExternalId, but a NodeApiError when there is no such task, saying what to choose
 * if the ID given is a task's own (Get Status → Look Up By: Task ID).
 */
export async function getTaskByExternalId(
	client: KirinClient,
	externalTaskId: string,
	itemIndex: number,
): Promise<KirinTask> {
	const task = await findByExternalId(client, externalTaskId, itemIndex);
	if (task) return task;
	throw noTaskUnderExternalIdError(client.ctx.getNode(), externalTaskId, itemIndex);
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
