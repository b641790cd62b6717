/**
 * Benchmarks run through n8n's engine (WorkflowExecute) over real HTTP against the simulator:
 * B1 batch scaling and B2 polling cost. Loaded by scripts/bench.js; prints nothing itself.
 */
import type { INodeParameters } from 'n8n-workflow';

import { errorOf, kirinWorkflow, outputOf, runWorkflow, startWorkflow } from '../support/engine';
import { createAndWait, items, median, withSimulator } from './harness';

export interface B1Result {
	runs: number;
	generationSeconds: number;
	/** Median wall time in seconds, by N, at default concurrency and with creates one at a time. */
	defaults: Record<number, number>;
	oneAtATime: Record<number, number>;
	/** One single-item execution after another: how a node that handles one item at a time behaves. Measured once. */
	sequential: Record<number, number>;
	peakConcurrentTasks: Record<number, number>;
}

/**
 * B1: Create with Wait for N = 1, 10, 50 items, 3 s simulated generation. `comparisons` adds
 * the one-at-a-time and one-execution-per-item runs (skipped for N = 500: the latter alone
 * would take 25 minutes).
 */
export async function batchScaling(
	sizes = [1, 10, 50],
	runs = 3,
	comparisons = true,
	options: INodeParameters = {},
): Promise<B1Result> {
	const generationSeconds = 3;
	return await withSimulator(
		{ queuedMs: 300, generationMs: generationSeconds * 1000 - 300, videoBytes: 256 * 1024 },
		async (sim, credentials) => {
			const result: B1Result = {
				runs,
				generationSeconds,
				defaults: {},
				oneAtATime: {},
				sequential: {},
				peakConcurrentTasks: {},
			};
			const variants = [
				['defaults', options],
				['oneAtATime', { concurrency: 1 }],
			] as const;
			for (const [label, options] of comparisons ? variants : variants.slice(0, 1)) {
				for (const size of sizes) {
					const times: number[] = [];
					for (let run = 0; run < runs; run++) {
						sim.resetCounters();
						const started = performance.now();
						const outcome = await runWorkflow(
							kirinWorkflow(items(size), createAndWait(options)),
							credentials,
						);
						times.push((performance.now() - started) / 1000);
						const error = errorOf(outcome);
						if (error) throw error;
						const completed = outputOf(outcome, 'Kirin').filter((item) => item.json.status === 'completed');
						if (completed.length !== size) throw new Error(`B1: ${completed.length} of ${size} completed`);
						if (label === 'defaults') result.peakConcurrentTasks[size] = sim.counters.peakConcurrentTasks;
					}
					result[label][size] = median(times);
				}
			}
			for (const size of comparisons ? sizes.filter((n) => n > 1) : []) {
				const started = performance.now();
				for (let index = 0; index < size; index++) {
					const outcome = await runWorkflow(kirinWorkflow(items(1), createAndWait()), credentials);
					if (outputOf(outcome, 'Kirin')[0]?.json.status !== 'completed')
						throw new Error('B1: not completed');
				}
				result.sequential[size] = (performance.now() - started) / 1000;
			}
			return result;
		},
	);
}

export interface B2Result {
	generationSeconds: number;
	workflows: number;
	medianStatusRequests: number;
	maxStatusRequests: number;
	medianDetectionDelay: number;
	maxDetectionDelay: number;
}

/**
 * B2: polling cost at default settings. Several one-item workflows run at once (each its own
 * execution, as separate users' workflows would); for each, the status requests for its task and
 * the delay from the simulator marking the task completed to the node's output.
 */
export async function pollingCost(generationSeconds: number, workflows = 5): Promise<B2Result> {
	return await withSimulator(
		{ queuedMs: 500, generationMs: generationSeconds * 1000 - 500, videoBytes: 64 * 1024 },
		async (sim, credentials) => {
			const completedAt = new Map<string, number>();
			sim.on('task', (task: { id: string; status: string }) => {
				if (task.status === 'succeed' && !completedAt.has(task.id))
					completedAt.set(task.id, performance.now());
			});
			const measured = await Promise.all(
				Array.from({ length: workflows }, async () => {
					const run = startWorkflow(
						kirinWorkflow(items(1), { ...createAndWait(), download: false }),
						credentials,
					);
					const outcome = await run.finished;
					const outputAt = performance.now();
					const error = errorOf(outcome);
					if (error) throw error;
					const id = String(outputOf(outcome, 'Kirin')[0].json.id);
					const statusRequests = sim.requestLog.filter(
						(entry) => entry.route === 'get' && entry.path.endsWith(`/${id}`),
					).length;
					return { statusRequests, delay: (outputAt - completedAt.get(id)!) / 1000 };
				}),
			);
			const requests = measured.map((entry) => entry.statusRequests);
			const delays = measured.map((entry) => entry.delay);
			return {
				generationSeconds,
				workflows,
				medianStatusRequests: median(requests),
				maxStatusRequests: Math.max(...requests),
				medianDetectionDelay: median(delays),
				maxDetectionDelay: Math.max(...delays),
			};
		},
	);
}
