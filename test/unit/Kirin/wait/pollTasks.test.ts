import {
	DEFAULT_POLL_SCHEDULE,
	pollInterval,
	waitForTasks,
	type WaitResult,
	type WaitSettings,
	type WaitTarget,
} from '../../../../nodes/Kirin/wait/pollTasks';
import { KirinClient } from '../../../../nodes/shared/api/client';
import { parseTask } from '../../../../nodes/shared/api/parse';
import type { Outcome } from '../../../../nodes/shared/transport/outcome';
import { VirtualTime } from './virtualTime';
import { KIRIN_NODE } from '../../../support/testNodes';

describe('pollInterval', () => {
	it('grows by half each round up to the maximum', () => {
		expect([0, 1, 2, 3, 4].map((round) => pollInterval(round, DEFAULT_POLL_SCHEDULE))).toEqual([
			3000, 4500, 6750, 10000, 10000,
		]);
	});
});

/** What the API says of one task at a time t. */
type Plan = { id: string; answer: (t: number) => Record<string, unknown> };

/**
 * A task queued until `startsAt`, then generating until `endsAt` (then `endsAs`); with
 * `progress`, it reports progress as the gateway does; without, it says none (Kling's shape).
 */
function task(
	id: string,
	when: { createdAt: number; startsAt?: number; endsAt: number; endsAs?: string; progress?: boolean },
): Plan {
	const { createdAt, endsAt, startsAt = createdAt, endsAs = 'completed', progress = true } = when;
	return {
		id,
		answer: (t) => {
			const status = t >= endsAt ? endsAs : t >= startsAt ? 'processing' : 'queued';
			const share = status === 'processing' ? (t - startsAt) / (endsAt - startsAt) : 0;
			return {
				id,
				status,
				created_at: new Date(Date.UTC(2026, 0, 1) + createdAt).toISOString(),
				...(progress ? { progress: status === endsAs ? 100 : Math.floor(share * 100) } : {}),
			};
		},
	};
}

/** A task whose answer never changes (what the order sees before anything moves). */
function still(id: string, body: Record<string, unknown>): Plan {
	return { id, answer: () => ({ id, ...body }) };
}

const NODE = KIRIN_NODE;

/** A Kirin API in virtual time: it logs every status request and answers after `latencyMs`. */
class FakeApi {
	readonly time = new VirtualTime();
	readonly asks: Array<{ id: string; at: number }> = [];
	/** The n-th status request (1-based) is answered 429 with this Retry-After. */
	refuse?: { request: number; retryAfterMs: number };

	readonly client = {
		options: { requestTimeoutMs: 5_000 },
		redact: (text: string) => text,
		send: async (_method: string, route: string) => await this.answer(route),
		// The real reading of an answer, over this fake's send.
		ask: KirinClient.prototype.ask,
		fail: () => new Error('status check failed'),
	} as unknown as KirinClient;

	constructor(
		readonly plans: Plan[],
		readonly latencyMs = 50,
	) {}

	private async answer(route: string): Promise<Outcome> {
		const id = decodeURIComponent(route.slice(route.lastIndexOf('/') + 1));
		const at = this.time.now;
		this.asks.push({ id, at });
		const plan = this.plans.find((candidate) => candidate.id === id)!;
		const outcome: Outcome =
			this.refuse?.request === this.asks.length
				? { kind: 'http-error', status: 429, body: {}, retryAfterMs: this.refuse.retryAfterMs }
				: { kind: 'ok', status: 200, body: plan.answer(at) };
		await this.time.sleep(this.latencyMs);
		return outcome;
	}

	/** Waits for every task, each known as created at t = 0 (as after Create). */
	async wait(settings: Partial<WaitSettings> = {}): Promise<WaitResult[]> {
		const targets: WaitTarget[] = this.plans.map((plan, itemIndex) => ({
			ref: plan.id,
			itemIndex,
			known: parseTask(plan.answer(0))!,
		}));
		const all: WaitSettings = {
			timeLimitMs: 20 * 60_000,
			schedule: DEFAULT_POLL_SCHEDULE,
			concurrency: 10,
			maxRequestsPerSecond: 5,
			now: () => this.time.now,
			sleep: this.time.sleep,
			...settings,
		};
		return await this.time.run(waitForTasks(this.client, targets, all, NODE));
	}

	asksOf(id: string): number[] {
		return this.asks.filter((ask) => ask.id === id).map((ask) => ask.at);
	}
}

function statuses(results: WaitResult[]): string[] {
	return results.map((result) => (result.kind === 'final' ? result.task.status : result.kind));
}

/** The most requests in any 1 s window [t, t + 1 s). */
function busiestSecond(times: number[]): number {
	return Math.max(...times.map((start) => times.filter((at) => at >= start && at < start + 1000).length));
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

describe('waitForTasks: one budget of status requests for the whole node', () => {
	it('never puts more than the cap into a second, and spaces requests evenly (200 tasks, 5/s)', async () => {
		// Created 0.1 s apart, a minute each: for a long while far more are due than the budget.
		const plans = Array.from({ length: 200 }, (_, n) =>
			task(`t${n}`, { createdAt: n * 100, endsAt: n * 100 + 60_000 }),
		);
		// Answers take longer than the gap, so several requests are in flight at once.
		const api = new FakeApi(plans, 300);
		const results = await api.wait({ maxRequestsPerSecond: 5 });

		expect(statuses(results)).toEqual(plans.map(() => 'completed'));
		const times = api.asks.map((ask) => ask.at);
		expect(times.length).toBeGreaterThan(300);
		expect(busiestSecond(times)).toBe(5);
		const gaps = times.slice(1).map((at, n) => at - times[n]);
		// One request every 1/5 s (and 5 % of room for the wire), never two closer: no bursts.
		expect(Math.min(...gaps)).toBeCloseTo(210, 6);
		// While 200 tasks are waiting (the first minute), every slot of the budget is used.
		const busy = gaps.filter((_, n) => times[n + 1] <= 60_000);
		expect(busy.length).toBeGreaterThan(250);
		expect(Math.max(...busy)).toBeCloseTo(210, 6);
	});

	it("holds every check back until a server's Retry-After has passed", async () => {
		const plans = Array.from({ length: 20 }, (_, n) => task(`t${n}`, { createdAt: 0, endsAt: 30_000 }));
		const api = new FakeApi(plans, 50);
		api.refuse = { request: 5, retryAfterMs: 5_000 };
		const results = await api.wait();

		expect(statuses(results)).toEqual(plans.map(() => 'completed'));
		const refusedAt = api.asks[4].at;
		const answeredAt = refusedAt + 50;
		// No request at all while the server asked to wait; the next one as soon as it allows.
		expect(api.asks.filter((ask) => ask.at > refusedAt && ask.at < answeredAt + 5_000)).toEqual([]);
		expect(api.asks[5].at).toBe(answeredAt + 5_000);
	});

	it('stops asking about a task once it is final, completed or failed', async () => {
		const api = new FakeApi([
			task('soon', { createdAt: 0, endsAt: 4_000 }),
			task('broken', { createdAt: 0, endsAt: 5_000, endsAs: 'failed' }),
			task('later', { createdAt: 0, endsAt: 40_000 }),
		]);
		const results = await api.wait();

		expect(statuses(results)).toEqual(['completed', 'failed', 'completed']);
		// Asked until the first answer that said so, then never again while `later` went on.
		// 3 s after the create, then 4.5 s after the answer (DEFAULT_POLL_SCHEDULE's second round).
		expect(api.asksOf('soon')).toEqual([3_000, 7_550]);
		expect(api.asksOf('broken')).toEqual([3_210, 7_760]);
		expect(api.asksOf('later').length).toBeGreaterThan(5);
	});

	it("keeps B2's figures: a 10 s generation is asked 3 times and seen done within 5 s", async () => {
		const api = new FakeApi([task('only', { createdAt: 0, endsAt: 10_000 })]);
		await api.wait();
		// 3 s after the create, then 4.5 s and 6.75 s after each answer (DEFAULT_POLL_SCHEDULE).
		expect(api.asksOf('only')).toEqual([3_000, 7_550, 14_350]);
		expect(api.time.now - 10_000).toBeLessThanOrEqual(5_000);
	});

	it("keeps B2's figures: a 60 s generation is asked 8 times and seen done within 5 s", async () => {
		const api = new FakeApi([task('only', { createdAt: 0, endsAt: 60_000 })]);
		await api.wait();
		// …, 10 s apart at most: 3, 7.55, 14.35, 24.4, 34.45, 44.5, 54.55, 64.6 s.
		expect(api.asksOf('only')).toHaveLength(8);
		expect(api.time.now - 60_000).toBeLessThanOrEqual(5_000);
	});
});

describe('waitForTasks: the tasks most likely done are asked first', () => {
	// One request a second, and each task due every 5 s: the first round shows the order.
	const slow: Partial<WaitSettings> = {
		maxRequestsPerSecond: 1,
		schedule: { firstMs: 5_000, maxMs: 5_000, factor: 1 },
		timeLimitMs: 9_000,
	};
	const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();

	it('asks first for the task furthest along, a queued one last, whatever its age', async () => {
		const api = new FakeApi([
			still('oldest-10', { status: 'processing', progress: 10, created_at: at(0) }),
			still('queued', { status: 'queued', progress: 0, created_at: at(1) }),
			still('at-80', { status: 'processing', progress: 80, created_at: at(3) }),
			still('at-40', { status: 'processing', progress: 40, created_at: at(2) }),
		]);
		await api.wait(slow);
		expect(api.asks.map((ask) => ask.id)).toEqual(['at-80', 'at-40', 'oldest-10', 'queued']);
	});

	it('without progress (Kling reports none), asks the oldest first whenever it is due', async () => {
		const kling = (created: number) => ({ status: 'processing', created_at: at(created) });
		const api = new FakeApi([still('young', kling(3)), still('old', kling(1)), still('oldest', kling(0))]);
		await api.wait({ ...slow, schedule: { firstMs: 2_000, maxMs: 2_000, factor: 1 }, timeLimitMs: 7_500 });
		// A round-robin would ask oldest, old, young, oldest …; the oldest ends first in a batch.
		expect(api.asks.map((ask) => ask.id)).toEqual(['oldest', 'old', 'oldest', 'old', 'oldest', 'old']);
	});

	it.each([
		['no progress reported (Kling)', false],
		['progress reported, its pace learned', true],
	])('sees tasks done soon after they end with a budget far below the tasks: %s', async (_, progress) => {
		// 100 tasks created at once; the provider starts one every 6 s, each takes a minute. At
		// 2 requests a second, a round-robin would come back to each task only every 50 s.
		const endOf = (n: number) => n * 6_000 + 60_000;
		const plans = Array.from({ length: 100 }, (_, n) =>
			task(`t${n}`, { createdAt: n * 50 - 5_000, startsAt: n * 6_000, endsAt: endOf(n), progress }),
		);
		const api = new FakeApi(plans);
		const results = await api.wait({ maxRequestsPerSecond: 2 });

		expect(statuses(results)).toEqual(plans.map(() => 'completed'));
		const delays = plans.map((plan, n) => Math.max(...api.asksOf(plan.id)) - endOf(n));
		expect(median(delays)).toBeLessThanOrEqual(6_000);
		expect(Math.max(...delays)).toBeLessThanOrEqual(11_000);
	});
});
