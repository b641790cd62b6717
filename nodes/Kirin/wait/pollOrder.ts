import type { KirinTask } from '../../shared/api/parse';
import type { WaitResult, WaitTarget } from './pollTasks';

/**
 * Which task to ask about next, when more are due than the status-request budget allows: the
 * one most likely done. The API says a task's status and progress; from how fast progress moves
 * (learned in this wait) the node estimates when each task ends, and asks first for the task
 * whose estimated end lies furthest in the past. A blind round-robin under the budget would ask
 * each task in turn, most of them long before they are done.
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
	/** Status requests made for it so far. */
	checks: number;
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
	}

	/** The median pace seen, in progress points per millisecond; null before any. */
	rate(): number | null {
		if (this.rates.length === 0) return null;
		const sorted = [...this.rates].sort((a, b) => a - b);
		return sorted[Math.floor(sorted.length / 2)];
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

function createdAt(watch: Watch): string {
	return watch.latest?.createdAt ?? '';
}

/** The due task most likely done now: its estimated end furthest past; then the oldest task. */
export function likeliestDone(due: readonly Watch[], learning: StatusLearning, now: number): Watch {
	let best = due[0];
	let bestScore = now - likelyDoneAt(best, learning);
	for (const watch of due.slice(1)) {
		const score = now - likelyDoneAt(watch, learning);
		if (score > bestScore || (score === bestScore && createdAt(watch) < createdAt(best))) {
			best = watch;
			bestScore = score;
		}
	}
	return best;
}
