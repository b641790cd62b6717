import type { Failure } from '../transport/outcome';
import type { KirinClient } from './client';
import { isAmbiguousCreate, isTransient, notATask } from './failures';
import { parseTask, type KirinTask } from './parse';
import { createBody, ROUTES } from './protocol';
import type { CreateTaskRequest } from './types';

/** Asking the API about tasks: create one (once), get one, find one. */

export interface CreateResult {
	task: KirinTask;
	/** True when the task already existed under this external task ID (nothing new was paid for). */
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
): Promise<KirinTask | null> {
	const result = await lookUp(client, ref, itemIndex);
	if ('task' in result) return result.task;
	if (result.failure.kind === 'http-error' && result.failure.status === 404) return null;
	throw client.fail(result.failure, result.attempts, itemIndex, ref);
}

/** An earlier task under this external ID that is still worth having (not failed). */
async function findReusable(client: KirinClient, externalTaskId: string, itemIndex: number) {
	const task = await findTask(client, externalTaskId, itemIndex);
	return task && task.status !== 'failed' && task.status !== 'cancelled' ? task : null;
}

/** Creates one task, or returns the task already recorded under its external task ID. */
export async function createTask(
	client: KirinClient,
	request: CreateTaskRequest,
	itemIndex: number,
): Promise<CreateResult> {
	const existing = await findReusable(client, request.externalTaskId, itemIndex);
	if (existing) return { task: existing, reused: true };

	const body = createBody(request);
	const result = await client.retrying<CreateResult>(async () => {
		const outcome = await client.send('POST', ROUTES.create, body);
		const task = outcome.kind === 'ok' ? parseTask(outcome.body, request.externalTaskId) : null;
		if (task) {
			client.ctx.logger.debug('Kirin task created', { taskId: task.id, itemIndex });
			return { done: { task, reused: false } };
		}
		const failure = outcome.kind === 'ok' ? notATask(outcome.status, outcome.body) : outcome;
		if (isAmbiguousCreate(failure)) {
			// The task may exist although we got no answer: asking costs nothing, creating again might.
			const recorded = await findReusable(client, request.externalTaskId, itemIndex);
			if (recorded) return { done: { task: recorded, reused: true } };
		}
		return { failure, retry: isTransient(failure) };
	});
	if (result.ok) return result.value;
	throw client.fail(result.failure, result.attempts, itemIndex);
}
