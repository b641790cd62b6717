import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { createParameters, imageItem, useSimulator } from './context';

// A provider that runs 5 generations at a time: the tasks end over a few seconds, not at once.
const ctx = useSimulator({ generationMs: 600, maxConcurrentGenerations: 5 });

describe('the status budget in a real workflow run', () => {
	it('20 items at 4 status checks a second: no second holds more than 4, and every item completes', async () => {
		const seeds = Array.from({ length: 20 }, (_, n) => imageItem({ n }));
		const run = await runWorkflow(
			kirinWorkflow(
				seeds,
				createParameters(
					{ waitForCompletion: true, timeLimitMinutes: 2, download: false },
					// Each task alone would be asked every 0.1–0.2 s: 100 a second for 20 tasks.
					{ maxStatusRequestsPerSecond: 4 },
				),
			),
			ctx.credentials,
		);

		expect(errorOf(run)).toBeUndefined();
		const items = outputOf(run, 'Kirin');
		expect(items.map((item) => item.json.status)).toEqual(seeds.map(() => 'completed'));
		// Status checks name the task by its ID (the look-ups before each create use the external ID).
		const ids = new Set(items.map((item) => `/task/${String(item.json.id)}`));
		const checks = ctx.sim.requestLog
			.filter((entry) => entry.route === 'get' && [...ids].some((id) => entry.path.endsWith(id)))
			.map((entry) => entry.at);
		expect(checks.length).toBeGreaterThanOrEqual(20);
		const busiest = Math.max(
			...checks.map((start) => checks.filter((at) => at >= start && at < start + 1000).length),
		);
		expect(busiest).toBeLessThanOrEqual(4);
	});
});
