import type { INode } from 'n8n-workflow';

import type { KirinClient } from '../../shared/api/client';
import type { KirinTask } from '../../shared/api/parse';
import { isFinal } from '../../shared/api/status';
import { getTask } from '../../shared/api/tasks';
import { mapWithConcurrency, settle } from '../../shared/concurrency';
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
	| { kind: 'timed-out'; task: KirinTask | null }
	| { kind: 'error'; error: Error };

export interface WaitSettings {
	timeLimitMs: number;
	schedule: PollSchedule;
	/** How many status requests may be in flight at once. */
	concurrency: number;
	signal?: AbortSignal;
	now?: () => number;
}

/**
 * Polls all targets together until each is final, failed to be read, or the time limit
 * passes. One sleep per round serves every item, so 50 items cost no more time than one.
 */
export async function waitForTasks(
	client: KirinClient,
	targets: readonly WaitTarget[],
	settings: WaitSettings,
	node: INode,
): Promise<WaitResult[]> {
	const now = settings.now ?? Date.now;
	const deadline = now() + settings.timeLimitMs;
	const latest: Array<KirinTask | null> = targets.map((target) => target.known ?? null);
	const results: Array<WaitResult | undefined> = targets.map((target) =>
		target.known && isFinal(target.known.status) ? { kind: 'final', task: target.known } : undefined,
	);
	const startWithPause = targets.some((target) => target.known !== undefined);

	for (let round = 0; ; round++) {
		if (round > 0 || startWithPause) {
			const remaining = deadline - now();
			if (remaining <= 0) break;
			await sleep(Math.min(pollInterval(round, settings.schedule), remaining), settings.signal, node);
		}
		const pending = targets.map((_, index) => index).filter((index) => results[index] === undefined);
		if (pending.length === 0) break;

		await mapWithConcurrency(pending, settings.concurrency, async (index) => {
			const { ref, itemIndex } = targets[index];
			const read = await settle(async () => await getTask(client, ref, itemIndex));
			if (!read.ok) {
				results[index] = { kind: 'error', error: read.error as Error };
				return;
			}
			latest[index] = read.value;
			if (isFinal(read.value.status)) results[index] = { kind: 'final', task: read.value };
		});
		if (results.every((result) => result !== undefined)) break;
		if (deadline - now() <= 0) break;
	}
	return results.map((result, index) => result ?? { kind: 'timed-out', task: latest[index] });
}
