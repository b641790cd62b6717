/**
 * What one callback costs n8n in the Kirin Trigger (n8n's real WebhookContext, the simulator).
 * Each credential read has n8n decrypt the credential (in n8n 2.41 through an expression
 * isolate): under a burst of callbacks that was the largest share of the trigger's time
 * (docs/BENCHMARKS.md, B5).
 */
import { TestCredentialsHelper } from '../support/credentialsHelper';
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
		const created = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), ctx.credentials);
		const id = String(outputOf(created, 'Kirin')[0].json.id);
		ctx.sim.setTaskStatus(id, 'completed');

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
});
