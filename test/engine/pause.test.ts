/**
 * Create with "Pause Until Kirin Calls Back" in n8n's engine (test/support/pauseHost.ts serves
 * the resume URL and resumes the execution as n8n does): when there is nothing to wait for, or a
 * callback could not reach this execution, the node does not pause.
 */
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
});
