import type { INode, NodeApiError } from 'n8n-workflow';

import type { KirinClient } from '../../shared/api/client';
import { describeFailure } from '../../shared/api/errors';
import type { KirinTask } from '../../shared/api/parse';
import { isFinal } from '../../shared/api/status';
import { checkTask } from '../../shared/api/tasks';
import { sleep } from '../../shared/transport/sleep';
import { likeliestDone, StatusLearning, type Watch } from './pollOrder';

export interface PollSchedule {
	firstMs: number;
	maxMs: number;
	factor: number;
}

/**
 * Per task: starts fast for short generations, then backs off: 3, 4.5, 6.8, 10, 10 … seconds.
 * At most 10 s between checks keeps the delay between "done" and the node noticing under 5 s on
 * average, at about 8 status requests for a one-minute generation.
 */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { firstMs: 3_000, maxMs: 10_000, factor: 1.5 };

/**
 * Status requests per second for the whole node, by default: 500 tasks at a 10 s interval would
 * be 50 a second, which invites an API's rate limit. Spread evenly, one every 1/N s.
 */
export const DEFAULT_STATUS_REQUESTS_PER_SECOND = 5;

export function pollInterval(round: number, schedule: PollSchedule): number {
	return Math.min(schedule.maxMs, schedule.firstMs * schedule.factor ** round);
}

export interface WaitTarget {
	ref: string;
	itemIndex: number;
	/** The task as already known (e.g. just created): its first check waits one interval. */
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
	/** Status requests per second for the whole node, evenly spaced. */
	maxRequestsPerSecond: number;
	signal?: AbortSignal;
	/** The clock and the pause between checks: real ones by default; a test passes virtual ones. */
	now?: () => number;
	sleep?: typeof sleep;
}

/**
 * Waits for every target at once until each is final, or the time limit passes. Each task keeps
 * its own schedule (DEFAULT_POLL_SCHEDULE); all of them share one budget of status requests per
 * second, spread evenly, and when more tasks are due than the budget allows, the ones most
 * likely done are asked first (pollOrder.ts: what the API said of their progress and age).
 *
 * A check that fails in a way that may pass (network, 429, 5xx, 8002009099) is asked again on
 * the task's schedule for as long as the time limit allows: a short outage does not end a long
 * wait. Only answers that will not change (the key rejected, no such task) end a wait early.
 */
export async function waitForTasks(
	client: KirinClient,
	targets: readonly WaitTarget[],
	settings: WaitSettings,
	node: INode,
): Promise<WaitResult[]> {
	const now = settings.now ?? Date.now;
	const pause = settings.sleep ?? sleep;
	const start = now();
	const deadline = start + settings.timeLimitMs;
	// Evenly spaced, with a little room so that requests a few milliseconds late on the wire still
	// never put more than the budget into any one second.
	const gapMs = (1000 / Math.max(0.01, settings.maxRequestsPerSecond)) * 1.05;
	const learning = new StatusLearning();
	const watches: Watch[] = targets.map((target) => ({
		target,
		latest: target.known ?? null,
		seenAt: start,
		result: target.known && isFinal(target.known.status) ? { kind: 'final', task: target.known } : undefined,
		// A task known a moment ago (just created, just looked up) is not asked again at once: its
		// first check comes one interval later, so its schedule is one round ahead.
		round: target.known ? 1 : 0,
		dueAt: target.known ? start + settings.schedule.firstMs : start,
		inFlight: false,
	}));

	const inFlight = new Set<Promise<void>>();
	let nextSlotAt = start;
	for (;;) {
		const open = watches.filter((watch) => watch.result === undefined);
		const t = now();
		if (open.length === 0 || t >= deadline) break;
		const idle = open.filter((watch) => !watch.inFlight);
		const due = idle.filter((watch) => watch.dueAt <= t);
		const canSend = inFlight.size < settings.concurrency;
		if (due.length > 0 && canSend && t >= nextSlotAt) {
			const watch = likeliestDone(due, learning, t);
			const checking = check(client, watch, settings, learning, now).finally(() => inFlight.delete(checking));
			inFlight.add(checking);
			nextSlotAt = Math.max(t, nextSlotAt) + gapMs;
			continue;
		}
		// Nothing to send now: sleep until something can be sent, or a check in flight returns.
		let wakeAt = deadline;
		if (canSend && due.length > 0) wakeAt = nextSlotAt;
		else if (canSend && idle.length > 0)
			wakeAt = Math.max(nextSlotAt, Math.min(...idle.map((watch) => watch.dueAt)));
		await Promise.race([pause(Math.min(wakeAt, deadline) - t, settings.signal, node), ...inFlight]);
		nextSlotAt = Math.max(nextSlotAt, learning.pausedUntil);
	}
	await Promise.all(inFlight);
	return watches.map(
		(watch) => watch.result ?? { kind: 'timed-out', task: watch.latest, failing: watch.failing },
	);
}

async function check(
	client: KirinClient,
	watch: Watch,
	settings: WaitSettings,
	learning: StatusLearning,
	now: () => number,
): Promise<void> {
	watch.inFlight = true;
	const { ref, itemIndex } = watch.target;
	try {
		const answer = await checkTask(client, ref, itemIndex);
		const t = now();
		watch.dueAt = t + pollInterval(watch.round, settings.schedule);
		watch.round += 1;
		if (!answer.ok) {
			// A server's Retry-After holds every check back, not only this one's.
			const retryAfterMs = answer.failure.kind === 'http-error' ? (answer.failure.retryAfterMs ?? 0) : 0;
			learning.pauseUntil(t + retryAfterMs);
			watch.dueAt = Math.max(watch.dueAt, t + retryAfterMs);
			if (answer.transient) watch.failing = describeFailure(answer.failure, client.options.requestTimeoutMs);
			else watch.result = { kind: 'error', error: answer.error };
			return;
		}
		learning.observe(watch, answer.task, t);
		watch.failing = undefined;
		watch.latest = answer.task;
		watch.seenAt = t;
		if (isFinal(answer.task.status)) watch.result = { kind: 'final', task: answer.task };
	} finally {
		watch.inFlight = false;
	}
}
