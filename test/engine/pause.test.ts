/**
 * Create with "Pause Until Kirin Calls Back" in n8n's engine (test/support/pauseHost.ts serves
 * the resume URL and resumes the execution as n8n does): when there is nothing to wait for, or a
 * callback could not reach this execution, the node does not pause.
 */
import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { errorOf, kirinWorkflow, outputOf } from '../support/engine';
import { PauseHost } from '../support/pauseHost';
import { createParameters, imageItem, useSimulator } from './context';

const ctx = useSimulator({ generationMs: 1500 });
let host: PauseHost;
beforeEach(async () => {
	host = new PauseHost(ctx.credentials);
	await host.start();
});
afterEach(async () => await host.stop());

const pause = { waitForCompletion: true, waitMethod: 'pause', timeLimitMinutes: 5, download: false };

function pausing(options: INodeParameters = {}, settings = {}) {
	return kirinWorkflow([imageItem()], createParameters(pause, options), settings);
}

describe('Pause Until Kirin Calls Back', () => {
	it('pauses, and resumes with the API task when the callbacks say it is done', async () => {
		const { paused, finished } = host.run(pausing());
		expect((await paused).waitTill).toBeDefined();
		const run = await finished;
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json.status).toBe('completed');
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('does not pause when the task is already done: the External Task ID names a completed one', async () => {
		const first = host.run(pausing({ externalTaskId: 'order-77' }));
		await first.finished;
		ctx.sim.resetCounters();
		const again = host.run(pausing({ externalTaskId: 'order-77' }));
		const run = await again.paused;
		expect(run.waitTill).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json).toMatchObject({ externalTaskId: 'order-77', status: 'completed' });
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});

	it('does not pause when every create failed: the items fail at once', async () => {
		ctx.sim.injectFault('create', {
			kind: 'status',
			status: 400,
			body: { code: 8002009002, message: 'bad image' },
		});
		const { paused } = host.run(pausing({}, { onError: 'continueRegularOutput' }));
		const run = await paused;
		expect(run.waitTill).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json.error).toContain('[item 0, code 8002009002]');
	});

	it('polls instead when a video still being made was started by an earlier run (its callbacks go there)', async () => {
		const earlier = host.run(
			kirinWorkflow([imageItem()], createParameters({}, { externalTaskId: 'order-78' })),
		);
		await earlier.finished;
		const again = host.run(
			pausing({ externalTaskId: 'order-78', pollFirstSeconds: 0.1, pollMaxSeconds: 0.2 }),
		);
		const run = await again.paused;
		expect(run.waitTill).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json).toMatchObject({ externalTaskId: 'order-78', status: 'completed' });
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('says in the resumed output which task was made before this run: reused true, and false for the new one', async () => {
		const id = randomUUID();
		// A new workflow object per run: resuming disables the paused node object, as n8n does.
		const workflow = (seeds: ReturnType<typeof imageItem>[]) => ({
			...kirinWorkflow(seeds, createParameters(pause, { externalTaskId: '={{ $json.ref }}' })),
			id,
		});
		const first = await host.run(workflow([imageItem({ ref: `${id}-a` })])).finished;
		const made = outputOf(first, 'Kirin')[0].json;
		expect(made).toMatchObject({ status: 'completed', reused: false });

		// The done video is reused, the new one is paused for.
		const again = host.run(workflow([imageItem({ ref: `${id}-a` }), imageItem({ ref: `${id}-b` })]));
		expect((await again.paused).waitTill).toBeDefined();
		const run = await again.finished;
		expect(errorOf(run)).toBeUndefined();
		const out = outputOf(run, 'Kirin');
		expect(out[0].json).toMatchObject({ id: made.id, status: 'completed', reused: true });
		expect(out[1].json).toMatchObject({ externalTaskId: `${id}-b`, status: 'completed', reused: false });
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('after a failed generation, a re-run pauses for the new attempt, not the failed task', async () => {
		const seeds = [imageItem({ prompt: 'first' }), imageItem({ prompt: 'second #flaky' })];
		// A new workflow object per run: resuming disables the paused node object, as n8n does.
		const id = randomUUID();
		const workflow = () => ({
			...kirinWorkflow(seeds, createParameters({ ...pause, prompt: '={{ $json.prompt }}' }), {
				onError: 'continueRegularOutput',
			}),
			id,
		});
		const first = await host.run(workflow()).finished;
		const failedTask = outputOf(first, 'Kirin')[1].json;
		expect(failedTask).toMatchObject({ status: 'failed' });

		const again = host.run(workflow());
		expect((await again.paused).waitTill).toBeDefined();
		const out = outputOf(await again.finished, 'Kirin');
		// Item 1 waited for its second attempt (<id>-2) and got its video; item 0 kept its task.
		expect(out[1].json).toMatchObject({
			status: 'completed',
			externalTaskId: `${String(failedTask.externalTaskId)}-2`,
		});
		expect(out[1].json.error).toBeUndefined();
		expect(out[0].json.id).toBe(outputOf(first, 'Kirin')[0].json.id);
		expect(ctx.sim.counters.tasksCreated).toBe(3);
	});

	it('carries the price quoted before the create into the resumed output, beside the final cost', async () => {
		const run = await host.run(pausing({ maxCostPerVideo: 1 })).finished;
		const [item] = outputOf(run, 'Kirin');
		expect(item.json).toMatchObject({ status: 'completed', estimatedCost: 0.35, cost: 0.35 });
		const keys = Object.keys(item.json);
		expect(keys.indexOf('estimatedCost')).toBe(keys.indexOf('cost') - 1);
	});

	it('a generation that fails while paused goes to the error output with Continue (using error output)', async () => {
		const { paused, finished } = host.run(
			kirinWorkflow([imageItem()], createParameters({ ...pause, prompt: 'fails later #fail' }), {
				onError: 'continueErrorOutput',
			}),
		);
		expect((await paused).waitTill).toBeDefined();
		const run = await finished;
		expect(errorOf(run)).toBeUndefined();
		const [regular, errors] = run.data.resultData.runData.Kirin.at(-1)?.data?.main ?? [];
		expect(regular).toHaveLength(0);
		expect(errors).toHaveLength(1);
		expect(String(errors?.[0].json.error)).toContain('8002009098');
	});

	it('a generation that fails while paused, under Stop Workflow, resumes with the task error on its item (n8n gives a resumed node no way to stop)', async () => {
		const { paused, finished } = host.run(
			kirinWorkflow([imageItem()], createParameters({ ...pause, prompt: 'fails later #fail' })),
		);
		expect((await paused).waitTill).toBeDefined();
		const [item] = outputOf(await finished, 'Kirin');
		expect(item.json).toMatchObject({ status: 'failed', errorCode: 8002009098 });
		expect(String(item.json.error)).toContain(String(item.json.id));
	});

	it('names a user External Task ID holding a comma in the resume URL as one item', async () => {
		const run = await host.run(pausing({ externalTaskId: 'order-79,blue' })).finished;
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json).toMatchObject({
			externalTaskId: 'order-79,blue',
			status: 'completed',
		});
	});
});
