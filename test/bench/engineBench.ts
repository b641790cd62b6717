/**
 * Benchmarks run through n8n's engine (WorkflowExecute) over real HTTP against the simulator:
 * B1 batch scaling and B2 polling cost. Loaded by scripts/bench.js; prints nothing itself.
 */
import type { INodeParameters } from 'n8n-workflow';

import { makePng } from '../fixtures/images';
import { KirinSimulator } from '../simulator';
import { errorOf, kirinWorkflow, outputOf, runWorkflow, startWorkflow } from '../support/engine';

const API_KEY = 'sk-bench';
const IMAGE = makePng(1280, 720).toString('base64');

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function items(count: number) {
	return Array.from({ length: count }, (_, index) => ({
		json: { sku: index },
		file: { base64: IMAGE, fileName: `p${index}.png`, mimeType: 'image/png' },
	}));
}

/** Create with Wait for Completion, everything else at its default (polling, concurrency 10, download). */
function createAndWait(options: INodeParameters = {}): INodeParameters {
	return {
		operation: 'create',
		imageSource: 'binary',
		binaryPropertyName: 'data',
		prompt: 'The camera circles the product',
		duration: '5',
		waitForCompletion: true,
		timeLimitMinutes: 10,
		options,
	};
}

async function withSimulator<T>(
	settings: ConstructorParameters<typeof KirinSimulator>[0],
	work: (sim: KirinSimulator, credentials: { kirinApi: { apiKey: string; baseUrl: string } }) => Promise<T>,
): Promise<T> {
	const sim = new KirinSimulator({ apiKey: API_KEY, ...settings });
	const baseUrl = await sim.start({ port: 0, host: '127.0.0.1' });
	try {
		return await work(sim, { kirinApi: { apiKey: API_KEY, baseUrl } });
	} finally {
		await sim.stop();
	}
}

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

/** B1: Create with Wait for N = 1, 10, 50 items, 3 s simulated generation. */
export async function batchScaling(sizes = [1, 10, 50], runs = 3): Promise<B1Result> {
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
			for (const [label, options] of [
				['defaults', {}],
				['oneAtATime', { concurrency: 1 }],
			] as const) {
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
			for (const size of sizes.filter((n) => n > 1)) {
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
