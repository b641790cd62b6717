import type { INode } from 'n8n-workflow';

import type { Failure } from './outcome';
import { sleep } from './sleep';

export interface BackoffPolicy {
	/** Retries after the first attempt. */
	retries: number;
	baseMs: number;
	maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { retries: 4, baseMs: 500, maxMs: 20_000 };

/** A Retry-After longer than this is not waited out inside a node run. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * How long to wait before retry number `attempt` (1-based): exponential backoff with "equal
 * jitter" (half fixed, half random), so a batch of items that failed together does not retry
 * in lockstep; a server's Retry-After is a floor.
 */
export function backoffDelay(
	attempt: number,
	policy: BackoffPolicy,
	retryAfterMs: number | null,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
	const jittered = ceiling / 2 + random() * (ceiling / 2);
	return Math.max(jittered, retryAfterMs ?? 0);
}

/** One attempt's result: the value, or a failure and whether trying again could help. */
export type Attempt<T> = { done: T } | { failure: Failure; retry: boolean };

export type Retried<T> = { ok: true; value: T } | { ok: false; failure: Failure; attempts: number };

export interface RetryOptions {
	policy: BackoffPolicy;
	signal?: AbortSignal;
	/** The node, for the "execution was cancelled" error a cancel during a wait raises. */
	node: INode;
}

/**
 * Runs `attempt` until it is done, says not to retry, the policy's retries are used up, or the
 * server asks (Retry-After) for a wait too long to spend inside a node run.
 */
export async function withRetries<T>(
	attempt: (attemptNumber: number) => Promise<Attempt<T>>,
	options: RetryOptions,
): Promise<Retried<T>> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		const result = await attempt(attemptNumber);
		if ('done' in result) return { ok: true, value: result.done };
		const { failure } = result;
		const retryAfterMs = failure.kind === 'http-error' ? failure.retryAfterMs : null;
		const giveUp =
			!result.retry ||
			attemptNumber > options.policy.retries ||
			(retryAfterMs !== null && retryAfterMs > MAX_RETRY_AFTER_MS);
		if (giveUp) return { ok: false, failure, attempts: attemptNumber };
		await sleep(backoffDelay(attemptNumber, options.policy, retryAfterMs), options.signal, options.node);
	}
}
