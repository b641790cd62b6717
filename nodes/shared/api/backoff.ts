/** How long to wait before retry number `attempt` (1-based) of a failed request. */

export interface BackoffPolicy {
	/** Retries after the first attempt. */
	retries: number;
	baseMs: number;
	maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { retries: 4, baseMs: 500, maxMs: 20_000 };

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so a batch of items that
 * failed together does not retry in lockstep; a server's Retry-After is a floor.
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
