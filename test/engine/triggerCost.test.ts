/**
 * What one callback costs n8n in the Kirin Trigger (n8n's real WebhookContext, the simulator).
 * Each credential read has n8n decrypt the credential (in n8n 2.41 through an expression
 * isolate): under a burst of callbacks that was the largest share of the trigger's time
 * (docs/BENCHMARKS.md, B5).
 */
import { TestCredentialsHelper } from '../support/credentialsHelper';
import { drained } from '../support/eventLoop';
import { TriggerHost } from '../support/triggerHost';
import { kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { createParameters, imageItem, useSimulator } from './context';

const ctx = useSimulator();
let host: TriggerHost;
afterEach(async () => await host?.stop());

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as Record<string, unknown>;
}

describe('Kirin Trigger cost per callback', () => {
	it('reads the credential once per callback that starts a run, verification included', async () => {
		host = new TriggerHost({ events: ['completed'], verify: true, requireToken: false }, ctx.credentials);
		const url = await host.start();
		const [id] = await completedTasks(1);

		TestCredentialsHelper.reads = 0;
		ctx.sim.resetCounters();
		const answer = await post(url, ctx.sim.callbackBody(id));
		expect(answer).toMatchObject({ started: true, taskId: id });
		expect(host.runs).toHaveLength(1);
		// The API was asked about the task (verification), with the key: one read served both.
		expect(ctx.sim.counters.requests.get).toBeGreaterThan(0);
		expect(ctx.sim.counters.unauthorized).toBe(0);
		expect(TestCredentialsHelper.reads).toBe(1);
	});

	it('lets callbacks that arrive during a credential read share it, and reads afresh after it', async () => {
		host = new TriggerHost({ events: ['completed'], verify: true, requireToken: false }, ctx.credentials);
		const url = await host.start();
		const ids = await completedTasks(5);

		TestCredentialsHelper.reads = 0;
		let finishRead = () => {};
		TestCredentialsHelper.held = new Promise<void>((resolve) => (finishRead = resolve));
		const answers = Promise.all(ids.map(async (id) => await post(url, ctx.sim.callbackBody(id))));
		try {
			await host.entered(ids.length);
			// One turn of the event loop: every callback has reached its credential read by now.
			await drained();
			expect(TestCredentialsHelper.reads).toBe(1);
		} finally {
			TestCredentialsHelper.held = null;
			finishRead();
		}
		expect((await answers).map((answer) => answer.started)).toEqual(ids.map(() => true));
		expect(host.runs.map((run) => run[0].json.id).sort()).toEqual([...ids].sort());

		// A callback after the read finished does not get it: a key saved meanwhile would apply.
		await post(url, ctx.sim.callbackBody(ids[0]));
		expect(TestCredentialsHelper.reads).toBe(2);
	});

	it('drops a repeated delivery without asking Kirin about it again', async () => {
		host = new TriggerHost({ events: ['completed'], verify: true, requireToken: false }, ctx.credentials);
		const url = await host.start();
		const [id] = await completedTasks(1);
		expect(await post(url, ctx.sim.callbackBody(id))).toMatchObject({ started: true });

		ctx.sim.resetCounters();
		expect(await post(url, ctx.sim.callbackBody(id))).toMatchObject({
			started: false,
			reason: 'already delivered',
		});
		expect(ctx.sim.counters.requests.get).toBe(0);
		expect(host.runs).toHaveLength(1);
	});
});

/** Creates `count` tasks through the Kirin node and has the simulator complete them. */
async function completedTasks(count: number): Promise<string[]> {
	const items = Array.from({ length: count }, () => imageItem());
	const created = await runWorkflow(kirinWorkflow(items, createParameters()), ctx.credentials);
	const ids = outputOf(created, 'Kirin').map((item) => String(item.json.id));
	for (const id of ids) ctx.sim.setTaskStatus(id, 'completed');
	return ids;
}
