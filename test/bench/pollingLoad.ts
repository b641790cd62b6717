/**
 * B7: the status requests one Create-with-Wait node sends for a big batch (500 tasks, 60 s
 * generation), through n8n's engine against the simulator. Loaded by scripts/bench.js.
 *
 * Every figure comes from the simulator's side of the wire: each status request is timed as
 * it arrives, and a task counts as detected at the first status request that was answered
 * with the task final. That is when the node learned of it; the node outputs every item at
 * once when the last is done, so its output time says nothing per task (it is reported too).
 */
import type { INodeParameters } from 'n8n-workflow';

import { Kirin } from '../../nodes/Kirin/Kirin.node';
import { errorOf, kirinWorkflow, outputOf, startWorkflow } from '../support/engine';
import { createAndWait, items, median, withSimulator } from './harness';

/** The Options entry that caps the node's status requests (issue 13). */
export const CAP_OPTION = 'maxStatusRequestsPerSecond';
/** The cap issue 13 plans as the default, used while the node has no such option. */
const PLANNED_DEFAULT_CAP = 5;

/** The default of the node's cap option, or undefined while the node does not have one. */
export function nodeDefaultCap(): number | undefined {
	for (const property of new Kirin().description.properties) {
		for (const option of (property.options ?? []) as Array<{ name?: string; default?: unknown }>) {
			if (option.name === CAP_OPTION && typeof option.default === 'number') return option.default;
		}
	}
	return undefined;
}

/**
 * The cap the bench holds the node to: `override` (set on the node as the option), else the
 * node's default, else the planned default.
 */
export function statusCap(override?: number): { cap: number; source: string } {
	if (override !== undefined) return { cap: override, source: `set on the node (${CAP_OPTION})` };
	const fromNode = nodeDefaultCap();
	if (fromNode !== undefined) return { cap: fromNode, source: `the node's default (${CAP_OPTION})` };
	return {
		cap: PLANNED_DEFAULT_CAP,
		source: `planned default; the node has no ${CAP_OPTION} option yet`,
	};
}

/** The most timestamps (ms) in any interval of one second, wherever it starts. */
export function peakInAnySecond(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let peak = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= 1000) start++;
		peak = Math.max(peak, end - start + 1);
	}
	return peak;
}

/**
 * The smallest median delay any node held to `cap` could reach for these completion times:
 * one status request per task, each sent the moment it is useful, `1000 / cap` ms apart.
 */
function floorMedianDelay(completedAt: number[], cap: number): number {
	const gap = 1000 / cap;
	let last = -Infinity;
	const delays = [...completedAt]
		.sort((a, b) => a - b)
		.map((done) => {
			last = Math.max(done, last + gap);
			return (last - done) / 1000;
		});
	return median(delays);
}

export interface B7Result {
	tasks: number;
	provider: ProviderModel;
	generationSeconds: number;
	cap: number;
	capSource: string;
	seconds: number;
	/** Status requests by task ID (polls) in the busiest second; the same counting the lookups by external task ID too. */
	peakPerSecond: number;
	peakAllReadsPerSecond: number;
	lookups: number;
	medianPerTask: number;
	meanPerTask: number;
	maxPerTask: number;
	/** Seconds from the simulator marking a task completed to the first status answer saying so. */
	medianDelay: number;
	maxDelay: number;
	/** Seconds from completed to the node's output (all items at once), median over the tasks. */
	medianOutputDelay: number;
	floorMedianDelay: number;
}

/**
 * How the simulated provider generates: at most `slots` videos at once (the rest wait, queued,
 * oldest first), each taking the generation time ±`jitter`. A real API queues a batch of 500
 * rather than starting all at once, and its generation times vary.
 */
export interface ProviderModel {
	slots: number;
	jitter: number;
}

export const B7_PROVIDER: ProviderModel = { slots: 100, jitter: 0.2 };

/** B7: one execution, `count` items, Create with Wait at its defaults without download. */
export async function pollingLoad(
	count = 500,
	generationSeconds = 60,
	capOverride?: number,
	provider: ProviderModel = B7_PROVIDER,
): Promise<B7Result> {
	const { cap, source } = statusCap(capOverride);
	const options: INodeParameters = capOverride === undefined ? {} : { [CAP_OPTION]: capOverride };
	return await withSimulator(
		{
			queuedMs: 500,
			generationMs: generationSeconds * 1000 - 500,
			videoBytes: 1024,
			maxConcurrentGenerations: provider.slots,
			generationJitter: provider.jitter,
		},
		async (sim, credentials) => {
			const completedAt = new Map<string, number>();
			const detectedAt = new Map<string, number>();
			const polls = new Map<string, number[]>();
			const lookups: number[] = [];
			sim.on('task', (task: { id: string; status: string }) => {
				if (task.status === 'succeed' && !completedAt.has(task.id))
					completedAt.set(task.id, performance.now());
			});
			// The simulator answers a status request synchronously after this event, so the
			// task's state read here is the state the answer carries.
			sim.on('request', (entry: { route: string; path: string }) => {
				if (entry.route !== 'get') return;
				const at = performance.now();
				const ref = decodeURIComponent(entry.path.split('/').pop() ?? '');
				const task = sim.getTask(ref);
				if (!task) return void lookups.push(at);
				if (!polls.has(ref)) polls.set(ref, []);
				polls.get(ref)!.push(at);
				if (task.status === 'succeed' && !detectedAt.has(ref)) detectedAt.set(ref, at);
			});

			const started = performance.now();
			const outcome = await startWorkflow(
				kirinWorkflow(items(count), { ...createAndWait(options), download: false, timeLimitMinutes: 30 }),
				credentials,
			).finished;
			const outputAt = performance.now();
			const error = errorOf(outcome);
			if (error) throw error;
			const ids = outputOf(outcome, 'Kirin')
				.filter((item) => item.json.status === 'completed')
				.map((item) => String(item.json.id));
			if (ids.length !== count) throw new Error(`B7: ${ids.length} of ${count} completed`);

			const perTask = ids.map((id) => polls.get(id)?.length ?? 0);
			const delays = ids.map((id) => (detectedAt.get(id)! - completedAt.get(id)!) / 1000);
			const pollTimes = [...polls.values()].flat();
			return {
				tasks: count,
				provider,
				generationSeconds,
				cap,
				capSource: source,
				seconds: (outputAt - started) / 1000,
				peakPerSecond: peakInAnySecond(pollTimes),
				peakAllReadsPerSecond: peakInAnySecond([...pollTimes, ...lookups]),
				lookups: lookups.length,
				medianPerTask: median(perTask),
				meanPerTask: perTask.reduce((sum, n) => sum + n, 0) / count,
				maxPerTask: Math.max(...perTask),
				medianDelay: median(delays),
				maxDelay: Math.max(...delays),
				medianOutputDelay: median(ids.map((id) => (outputAt - completedAt.get(id)!) / 1000)),
				floorMedianDelay: floorMedianDelay(
					ids.map((id) => completedAt.get(id)!),
					cap,
				),
			};
		},
	);
}
