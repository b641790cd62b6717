import type { INode, NodeApiError } from 'n8n-workflow';

import type { KirinClient } from '../../shared/api/client';
import { describeFailure } from '../../shared/api/errors';
import type { KirinTask } from '../../shared/api/parse';
import { isFinal } from '../../shared/api/status';
import { checkTask } from '../../shared/api/tasks';
import { mapWithConcurrency } from '../../shared/concurrency';
import { sleep } from '../../shared/transport/sleep';

export interface PollSchedule {
	firstMs: number;
	maxMs: number;
	factor: number;
}

/**
 * Starts fast for short generations, then backs off: 3, 4.5, 6.8, 10, 10 … seconds. At most
 * 10 s between polls keeps the delay between "done" and the node noticing under 5 s on
 * average, at about 8 status requests for a one-minute generation.
 */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { firstMs: 3_000, maxMs: 10_000, factor: 1.5 };

export function pollInterval(round: number, schedule: PollSchedule): number {
	return Math.min(schedule.maxMs, schedule.firstMs * schedule.factor ** round);
}

export interface WaitTarget {
	ref: string;
	itemIndex: number;
	/** The task as already known (e.g. just created): the first poll waits one interval. */
	known?: KirinTask;
}

export type WaitResult =
	| { kind: 'final'; task: KirinTask }
	/** `failing`: what went wrong with the last status check, if it failed (an outage). */
	| { kind: 'timed-out'; task: KirinTask | null; failing?: string }
	| { kind: 'error'; error: NodeApiError };

export interface WaitSettings {
	timeLimitMs: number;
	schedule: PollSchedule;
	/** How many status requests may be in flight at once. */
	concurrency: number;
	signal?: AbortSignal;
	now?: () => number;
}

/** One target while the wait runs. */
interface Watch {
	target: WaitTarget;
	latest: KirinTask | null;
	result?: WaitResult;
	/** What went wrong with the last check, while the API keeps failing; cleared by an answer. */
	failing?: string;
	/** A server's Retry-After from the last check, in milliseconds. */
	retryAfterMs: number;
}

/**
 * Polls all targets together until each is final, or the time limit passes. One sleep per
 * round serves every item, so 50 items cost no more time than one. A status check that fails
 * in a way that may pass (network, 429, 5xx, 8002009099) is simply asked again next round, for
 * as long as the time limit allows: a short outage does not end a long wait. Only answers that
 * will not change (the key rejected, no such task) end a target's wait early.
 */
export async function waitForTasks(
	client: KirinClient,
	targets: readonly WaitTarget[],
	settings: WaitSettings,
	node: INode,
): Promise<WaitResult[]> {
	const now = settings.now ?? Date.now;
	const deadline = now() + settings.timeLimitMs;
	const watches: Watch[] = targets.map((target) => ({
		target,
		latest: target.known ?? null,
		result: target.known && isFinal(target.known.status) ? { kind: 'final', task: target.known } : undefined,
		retryAfterMs: 0,
	}));
	const pending = () => watches.filter((watch) => watch.result === undefined);
	// A target known a moment ago (just created, just looked up) is not asked again at once.
	const startWithPause = targets.some((target) => target.known !== undefined);

	for (let round = 0; pending().length > 0; round++) {
		if (round > 0 || startWithPause) {
			const remaining = deadline - now();
			if (remaining <= 0) break;
			const serverAsks = Math.max(0, ...pending().map((watch) => watch.retryAfterMs));
			const interval = Math.max(pollInterval(round, settings.schedule), serverAsks);
			await sleep(Math.min(interval, remaining), settings.signal, node);
		}
		await mapWithConcurrency(pending(), settings.concurrency, async (watch) => {
			await check(client, watch);
		});
		if (deadline - now() <= 0) break;
	}
	return watches.map(
		(watch) => watch.result ?? { kind: 'timed-out', task: watch.latest, failing: watch.failing },
	);
}

async function check(client: KirinClient, watch: Watch): Promise<void> {
	const { ref, itemIndex } = watch.target;
	const answer = await checkTask(client, ref, itemIndex);
	if (!answer.ok) {
		watch.retryAfterMs = answer.failure.kind === 'http-error' ? (answer.failure.retryAfterMs ?? 0) : 0;
		if (answer.transient) watch.failing = describeFailure(answer.failure, client.options.requestTimeoutMs);
		else watch.result = { kind: 'error', error: answer.error };
		return;
	}
	watch.failing = undefined;
	watch.retryAfterMs = 0;
	watch.latest = answer.task;
	if (isFinal(answer.task.status)) watch.result = { kind: 'final', task: answer.task };
}
