import type { KirinTask } from '../../shared/api/parse';
import type { WaitResult, WaitTarget } from './pollTasks';

/**
 * Which task to ask about next, when more are due than the status-request budget allows: the
 * one most likely done. The API says a task's status and progress; from how fast progress moves
 * (learned in this wait) the node estimates when each task ends, and asks first for the task
 * whose estimated end lies furthest in the past. Until a pace is learned (and always with an API
 * that reports no progress, as Kling's task bodies do) it asks first for the task furthest along,
 * then the oldest: a blind round-robin under the budget would ask each task in turn, most of them
 * long before they are done.
 */

/** One target while the wait runs: what the node knows of its task, and its own schedule. */
export interface Watch {
	target: WaitTarget;
	latest: KirinTask | null;
	/** When `latest` was read (the node's clock). */
	seenAt: number;
	result?: WaitResult;
	/** What went wrong with the last check, while the API keeps failing; cleared by an answer. */
	failing?: string;
	/** Its round of the poll schedule: the wait after its next answer is pollInterval(round). */
	round: number;
	/** Its own schedule: it is not asked again before this. */
	dueAt: number;
	inFlight: boolean;
}

/** A task last seen queued has at least its whole generation ahead, and usually a queue too. */
const QUEUED_GENERATIONS_AHEAD = 2;

/** Progress observations kept to estimate the pace of generation. */
const REMEMBERED_RATES = 200;

/** What the API said about progress during this wait, and any wait the server asked for. */
export class StatusLearning {
	/** Progress points per millisecond, one per pair of sightings of a processing task. */
	private readonly rates: number[] = [];
	/** The median of `rates`, kept until the next observation: every choice asks for it per task. */
	private median: number | null | undefined;
	/** A server's Retry-After: no check before this (the node's clock). */
	pausedUntil = 0;

	pauseUntil(at: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, at);
	}

	/** Learns the pace from a task seen processing twice with progress moving. */
	observe(watch: Watch, task: KirinTask, at: number): void {
		const before = watch.latest;
		if (before?.status !== 'processing' || task.status !== 'processing') return;
		if (before.progress === null || task.progress === null) return;
		if (task.progress <= before.progress || at <= watch.seenAt) return;
		this.rates.push((task.progress - before.progress) / (at - watch.seenAt));
		if (this.rates.length > REMEMBERED_RATES) this.rates.shift();
		this.median = undefined;
	}

	/** The median pace seen, in progress points per millisecond; null before any. */
	rate(): number | null {
		if (this.median !== undefined) return this.median;
		const sorted = [...this.rates].sort((a, b) => a - b);
		this.median = sorted.length === 0 ? null : sorted[Math.floor(sorted.length / 2)];
		return this.median;
	}
}

/** When a task is likely done, from what the API last said of it and when. */
export function likelyDoneAt(watch: Watch, learning: StatusLearning): number {
	const task = watch.latest;
	const rate = learning.rate();
	if (task === null || rate === null) return watch.dueAt;
	if (task.status === 'processing' && task.progress !== null) {
		return watch.seenAt + (100 - task.progress) / rate;
	}
	if (task.status === 'queued') return watch.seenAt + (QUEUED_GENERATIONS_AHEAD * 100) / rate;
	return watch.dueAt;
}

/**
 * How far along the API last said a task was, for the order before a pace is learned. A task not
 * seen yet comes first (it may have ended long ago; one look tells); a queued one comes after any
 * processing one, whose progress may be unknown (Kling reports none) and then counts as 0.
 */
function progressOf(watch: Watch): number {
	const task = watch.latest;
	if (task === null) return Infinity;
	if (task.status === 'queued') return -1;
	return task.progress ?? 0;
}

/** When the task was created, in ms; unknown ages go after known ones. */
function createdAt(watch: Watch): number {
	const at = Date.parse(watch.latest?.createdAt ?? '');
	return Number.isNaN(at) ? Infinity : at;
}

/**
 * No task goes unasked longer than this while others keep winning the order (tasks stuck at the
 * same progress, for example): one not seen for 10 minutes is asked first, the longest unseen
 * first. Long enough that a queue of a few hundred videos is asked in the order above; at the
 * default budget of 5 a second it is 3000 requests, so every due task has had its turn.
 */
export const STALE_MS = 10 * 60_000;

/**
 * Negative when `a` should be asked before `b`. A task unseen for STALE_MS first. With a pace learned, the earlier estimated end
 * first (likelyDoneAt). Without one, estimates are only each task's own schedule, which would
 * make the order a round-robin; so the task furthest along goes first, then the oldest (tasks of
 * one batch take about as long each, so the oldest ends first), then the one due longest.
 */
function compareLikelyDone(a: Watch, b: Watch, learning: StatusLearning, now: number): number {
	const staleA = now - a.seenAt > STALE_MS;
	const staleB = now - b.seenAt > STALE_MS;
	if (staleA || staleB) return staleA && staleB ? a.seenAt - b.seenAt : staleA ? -1 : 1;
	if (learning.rate() !== null) {
		const byEstimate = likelyDoneAt(a, learning) - likelyDoneAt(b, learning);
		if (byEstimate !== 0) return byEstimate;
	}
	const byProgress = progressOf(b) - progressOf(a);
	if (byProgress !== 0 && !Number.isNaN(byProgress)) return byProgress;
	const byAge = createdAt(a) - createdAt(b);
	if (byAge !== 0 && !Number.isNaN(byAge)) return byAge;
	return a.dueAt - b.dueAt;
}

/** The due task most likely done `now` (compareLikelyDone); the first listed on a tie. */
export function likeliestDone(due: readonly Watch[], learning: StatusLearning, now: number): Watch {
	return due.reduce((best, watch) => (compareLikelyDone(watch, best, learning, now) < 0 ? watch : best));
}
