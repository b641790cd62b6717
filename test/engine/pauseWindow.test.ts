/**
 * Pause's window, in n8n's engine (test/support/pauseHost.ts answers the resume URL as n8n does:
 * with an error while the execution runs, before it is stored as waiting). A task that ends before the
 * pause calls back in vain; the node must not then wait out its whole time limit. And a final
 * callback Kirin does not confirm yet is answered so that a sender that retries calls again.
 */
import type { IRun } from 'n8n-workflow';

import type { Delivery } from '../simulator/callbacks';
import type { ProfileName } from '../simulator/profiles';
import { errorOf, kirinWorkflow, outputOf } from '../support/engine';
import { PauseHost } from '../support/pauseHost';
import { createParameters, imageItem, useSimulator } from './context';

const pause = { waitForCompletion: true, waitMethod: 'pause', timeLimitMinutes: 5, download: false };

// A "#refused" task fails as soon as its create has been answered (test/simulator/taskClock.js).
// Against the strict profile (no look-up by external task ID) the node polls instead of pausing:
// the task's failure must stop it all the same.
describe.each<ProfileName>(['seed', 'strict'])('Pause closes its window, %s profile', (profile) => {
	const ctx = useSimulator({ profile });
	let host: PauseHost;
	beforeEach(async () => {
		host = new PauseHost(ctx.credentials);
		await host.start();
	});
	afterEach(async () => await host.stop());

	/** The delivery of the task's final callback, once the simulator has its answer. */
	async function finalCallback(taskId: string): Promise<Delivery> {
		const isFinal = (delivery: Delivery) =>
			delivery.taskId === taskId &&
			[ctx.sim.vocabulary.failed, ctx.sim.vocabulary.completed].includes(delivery.status);
		const seen = ctx.sim.callbacks.find(isFinal);
		if (seen) return seen;
		return await new Promise((resolve) => {
			const listener = (delivery: Delivery) => {
				if (!isFinal(delivery)) return;
				ctx.sim.off('callback', listener);
				resolve(delivery);
			};
			ctx.sim.on('callback', listener);
		});
	}

	it('a task refused at once never leaves the execution waiting for a callback n8n refused (0 of 10 lost)', async () => {
		const lost: number[] = [];
		const runs: Array<{ run: IRun; taskId: string }> = [];
		for (let attempt = 0; attempt < 10; attempt++) {
			const workflow = kirinWorkflow(
				[imageItem()],
				createParameters({ ...pause, prompt: `refused at once ${attempt} #refused` }),
			);
			const run = await host.run(workflow).paused;
			const [task] = ctx.sim.tasks().slice(-1);
			runs.push({ run, taskId: task.id });
			// Lost: paused, and the task's final callback was answered by n8n, not by the node.
			if (run.waitTill && (await finalCallback(task.id)).httpStatus !== 200) lost.push(attempt);
		}
		expect(lost).toEqual([]);
		// Not paused: the task's failure stops the workflow, as with Poll, naming the task.
		for (const { run, taskId } of runs) {
			expect(run.waitTill).toBeUndefined();
			// Worded from the API's error code when it gives one (seed), else from the status.
			expect(errorOf(run)?.message).toMatch(new RegExp(`task ${taskId}\\b.*\\[item 0`));
		}
		expect(ctx.sim.counters.tasksCreated).toBe(10);
	});

	it('a task refused at once goes to the error output with Continue (using error output), unpaused', async () => {
		const workflow = kirinWorkflow(
			[imageItem()],
			createParameters({ ...pause, prompt: 'refused at once #refused' }),
			{ onError: 'continueErrorOutput' },
		);
		const run = await host.run(workflow).paused;
		expect(run.waitTill).toBeUndefined();
		const errorOutput = run.data.resultData.runData.Kirin[0].data?.main[1] ?? [];
		expect(errorOutput).toHaveLength(1);
		const [task] = ctx.sim.tasks().slice(-1);
		expect(String(errorOutput[0].json.error)).toMatch(new RegExp(`task ${task.id}\\b.*\\[item 0`));
		expect(outputOf(run, 'Kirin')).toHaveLength(0);
	});
});

// Only where the node pauses (the seed profile finds tasks by external task ID).
describe('Pause, a final callback Kirin does not confirm yet', () => {
	const ctx = useSimulator();
	let host: PauseHost;
	beforeEach(async () => {
		host = new PauseHost(ctx.credentials);
		await host.start();
	});
	afterEach(async () => await host.stop());

	it('answers a final callback Kirin does not confirm yet with 503 and Retry-After, so its sender calls again', async () => {
		ctx.sim.setGenerationMs(60_000);
		const { paused, finished } = host.run(
			kirinWorkflow([imageItem()], createParameters({ ...pause, prompt: 'slow to record' })),
		);
		expect((await paused).waitTill).toBeDefined();
		const [task] = ctx.sim.tasks().slice(-1);
		const callbackUrl = String(ctx.sim.getParams(task.id)?.callback_url);
		// The callback says "succeed" before Kirin's own record does.
		const early = { ...(ctx.sim.callbackBody(task.id) as object), status: ctx.sim.vocabulary.completed };
		const answer = await fetch(callbackUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(early),
		});
		expect(answer.status).toBe(503);
		expect(answer.headers.get('retry-after')).toBe('10');

		// Kirin records the end, calls back again, and the execution resumes.
		ctx.sim.setTaskStatus(task.id, 'completed');
		const run = await finished;
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json).toMatchObject({ id: task.id, status: 'completed' });
	});
});
