import { errorOf, kirinWorkflow, outputOf, runWorkflow, startWorkflow } from '../support/engine';
import { createParameters, FAST_POLLING, imageItem, useSimulator } from './context';

const ctx = useSimulator();

async function createOne(): Promise<{ id: string; externalTaskId: string }> {
	const run = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), ctx.credentials);
	const { id, externalTaskId } = outputOf(run, 'Kirin')[0].json as { id: string; externalTaskId: string };
	return { id, externalTaskId };
}

/** Get Status by External Task ID, read from each item by `expression`. */
function byExternalTaskId(json: object, expression: string) {
	return kirinWorkflow([{ json }], {
		operation: 'getStatus',
		lookUpBy: 'externalTaskId',
		externalTaskId: expression,
	});
}

describe('Get Status', () => {
	it('finds a task by its task ID and by its external task ID', async () => {
		const task = await createOne();
		const byId = await runWorkflow(
			kirinWorkflow([{ json: task }], { operation: 'getStatus', lookUpBy: 'id', taskId: '={{ $json.id }}' }),
			ctx.credentials,
		);
		const byExternal = await runWorkflow(
			byExternalTaskId(task, '={{ $json.externalTaskId }}'),
			ctx.credentials,
		);
		expect(outputOf(byId, 'Kirin')[0].json.id).toBe(task.id);
		expect(outputOf(byExternal, 'Kirin')[0].json.id).toBe(task.id);
		expect(outputOf(byExternal, 'Kirin')[0].json.externalTaskId).toBe(task.externalTaskId);
	});

	it('downloads the video of a completed task when asked', async () => {
		const task = await createOne();
		await ctx.sim.waitFor((t) => t.id === task.id && t.status === 'succeed');
		const run = await runWorkflow(
			kirinWorkflow([{ json: task }], {
				operation: 'getStatus',
				lookUpBy: 'id',
				taskId: '={{ $json.id }}',
				download: true,
				binaryPropertyOutput: 'data',
			}),
			ctx.credentials,
		);
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.status).toBe('completed');
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(ctx.sim.expectedVideo(task.id))).toBe(true);
	});

	it('a task ID given as the external task ID: no task is handed on, and the error says to choose Task ID', async () => {
		const task = await createOne();
		const run = await runWorkflow(byExternalTaskId(task, '={{ $json.id }}'), ctx.credentials);
		const error = errorOf(run);
		expect(error?.message).toBe(`No task was created under external task ID "${task.id}" [item 0]`);
		expect(error?.description).toContain(
			`If "${task.id}" is a task ID (the id Create outputs), choose Look Up By: Task ID.`,
		);
		expect(outputOf(run, 'Kirin')).toHaveLength(0);
	});

	it('says which task is unknown', async () => {
		const run = await runWorkflow(
			kirinWorkflow([{ json: {} }], { operation: 'getStatus', lookUpBy: 'id', taskId: 'task_nope' }),
			ctx.credentials,
		);
		expect(errorOf(run)?.message).toContain('Kirin has no task with ID "task_nope"');
		expect(errorOf(run)?.message).toContain('[item 0');
	});
});

describe('Wait', () => {
	it('waits for a task to complete and downloads its video', async () => {
		const task = await createOne();
		const run = await runWorkflow(
			kirinWorkflow([{ json: task }], {
				operation: 'wait',
				taskId: '={{ $json.id }}',
				timeLimitMinutes: 1,
				download: true,
				binaryPropertyOutput: 'data',
				options: FAST_POLLING,
			}),
			ctx.credentials,
		);
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.status).toBe('completed');
		expect(item.binary?.data.mimeType).toBe('video/mp4');
	});

	it('on time-out stops with an error, or returns the task as it stands', async () => {
		ctx.sim.setGenerationMs(60_000);
		const task = await createOne();
		const params = {
			operation: 'wait',
			taskId: '={{ $json.id }}',
			timeLimitMinutes: 0.01,
			download: false,
			options: FAST_POLLING,
		};

		const asError = await runWorkflow(
			kirinWorkflow([{ json: task }], { ...params, onTimeout: 'error' }),
			ctx.credentials,
		);
		expect(errorOf(asError)?.message).toMatch(
			new RegExp(`^Kirin task ${task.id} was still (queued|processing) when the time limit ran out`),
		);

		const asItem = await runWorkflow(
			kirinWorkflow([{ json: task }], { ...params, onTimeout: 'output' }),
			ctx.credentials,
		);
		expect(errorOf(asItem)).toBeUndefined();
		expect(outputOf(asItem, 'Kirin')[0].json).toMatchObject({
			id: task.id,
			timedOut: true,
			status: expect.stringMatching(/queued|processing/),
		});
	});

	it('waits out an outage: six 503 answers in a row on the status route do not end a long wait', async () => {
		ctx.sim.setGenerationMs(1500);
		const task = await createOne();
		ctx.sim.injectFault('get', { kind: 'status', status: 503 }, 6);
		const run = await runWorkflow(
			kirinWorkflow([{ json: task }], {
				operation: 'wait',
				taskId: '={{ $json.id }}',
				timeLimitMinutes: 2,
				download: false,
				options: FAST_POLLING,
			}),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json).toMatchObject({ id: task.id, status: 'completed' });
		// The six failures were asked again on the wait's own schedule, one request each.
		expect(ctx.sim.requestLog.filter((entry) => entry.route === 'get').length).toBeGreaterThan(6);
	});

	it('ends a wait early only for answers that will not change (an unknown task)', async () => {
		const run = await runWorkflow(
			kirinWorkflow([{ json: {} }], {
				operation: 'wait',
				taskId: 'task_nope',
				timeLimitMinutes: 2,
				options: FAST_POLLING,
			}),
			ctx.credentials,
		);
		expect(errorOf(run)?.message).toContain('Kirin has no task with ID "task_nope"');
		expect(ctx.sim.counters.requests.get).toBe(1);
	});

	it('outputs a task that is already final at once, without sleeping a poll interval', async () => {
		const task = await createOne();
		await ctx.sim.waitFor((t) => t.id === task.id && t.status === 'succeed');
		ctx.sim.resetCounters();
		const started = Date.now();
		const run = await runWorkflow(
			kirinWorkflow([{ json: task }], {
				operation: 'wait',
				taskId: '={{ $json.id }}',
				timeLimitMinutes: 5,
				download: false,
				// A first poll after 30 s would show in the time taken.
				options: { pollFirstSeconds: 30, pollMaxSeconds: 30 },
			}),
			ctx.credentials,
		);
		expect(outputOf(run, 'Kirin')[0].json.status).toBe('completed');
		expect(ctx.sim.counters.requests.get).toBe(1);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('stops polling at once when the execution is cancelled', async () => {
		ctx.sim.setGenerationMs(600_000);
		const task = await createOne();
		// A minute between polls: the test would time out if cancelling did not cut the pause short.
		const started = startWorkflow(
			kirinWorkflow([{ json: task }], {
				operation: 'wait',
				taskId: '={{ $json.id }}',
				timeLimitMinutes: 30,
				options: { pollFirstSeconds: 60, pollMaxSeconds: 60 },
			}),
			ctx.credentials,
		);
		while (ctx.sim.counters.requests.get < 1)
			await new Promise((resolve) => ctx.sim.once('request', resolve));
		const getsBeforeCancel = ctx.sim.counters.requests.get;
		started.cancel();
		const run = await started.finished;
		expect(run.status).toBe('canceled');
		expect(ctx.sim.counters.requests.get).toBe(getsBeforeCancel);
	}, 15_000);
});
