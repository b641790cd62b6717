/**
 * Callback URLs Kirin cannot call, judged before anything is created, in n8n's engine against the
 * simulator. The judgement needs the API's Base URL to be a public host; the simulator listens on
 * 127.0.0.1. So these tests give the credential the Base URL `http://kirin-api.example.com:<port>`
 * and, for this test process only, have Node's `dns.lookup` answer 127.0.0.1 for that one name
 * (test/support/publicName.js says why that reaches the simulator through n8n's HTTP helper).
 */
import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { PauseHost } from '../support/pauseHost';
import { resolveToLoopback } from '../support/publicName';
import { API_KEY, createParameters, imageItem, useSimulator } from './context';

const PUBLIC_NAME = 'kirin-api.example.com';
const ctx = useSimulator({ generationMs: 300 });
let publicApi: Record<string, ICredentialDataDecryptedObject>;

let restoreLookup: () => void;
beforeAll(() => {
	restoreLookup = resolveToLoopback(PUBLIC_NAME);
	const port = new URL(String(ctx.credentials.kirinApi.baseUrl)).port;
	publicApi = { kirinApi: { apiKey: API_KEY, baseUrl: `http://${PUBLIC_NAME}:${port}` } };
});
afterAll(() => restoreLookup());

let host: PauseHost;
afterEach(async () => await host?.stop());

const pause = { waitForCompletion: true, waitMethod: 'pause', timeLimitMinutes: 5, download: false };

async function pauseWith(credentials: Record<string, ICredentialDataDecryptedObject>) {
	// PauseHost serves n8n's webhook-waiting route on 127.0.0.1: the resume URL is loopback, as
	// on an n8n without WEBHOOK_URL.
	host = new PauseHost(credentials);
	await host.start();
	return host.run(
		kirinWorkflow([imageItem(), imageItem({}, undefined, 'other.png')], createParameters(pause)),
	);
}

async function createWith(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	options: INodeParameters,
) {
	return await runWorkflow(kirinWorkflow([imageItem()], createParameters({}, options)), credentials);
}

const PRIVATE_CALLBACK = 'http://192.168.77.20:5678/webhook/abc/kirin';

describe('Can Kirin reach the URL it is to call back', () => {
	it('the public host really is the simulator (the test setup itself)', async () => {
		const run = await createWith(publicApi, {});
		expect(errorOf(run)).toBeUndefined();
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('Pause on an n8n whose resume URL is loopback polls instead, says so in each item, and completes', async () => {
		const { paused, finished } = await pauseWith(publicApi);
		const run = await paused;
		expect(run.waitTill).toBeUndefined();
		expect(errorOf(run)).toBeUndefined();
		const items = outputOf(await finished, 'Kirin');
		expect(items).toHaveLength(2);
		for (const item of items) {
			expect(item.json).toMatchObject({ status: 'completed', waitedBy: 'poll' });
			expect(item.json.waitNote).toContain('http://127.0.0.1:');
			expect(item.json.waitNote).toContain('loopback');
			expect(item.json.waitNote).toContain('WEBHOOK_URL');
			// n8n's resume signature and ours stay out of the item.
			expect(String(item.json.waitNote)).not.toContain('?');
		}
		expect(host.answers).toHaveLength(0);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('a Callback URL on a private address gets a warning naming it and why, and is still sent', async () => {
		const run = await createWith(publicApi, { callbackUrl: PRIVATE_CALLBACK });
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.callbackWarning).toContain(PRIVATE_CALLBACK);
		expect(item.json.callbackWarning).toContain('192.168.77.20 is a private network address');
		expect(item.json.callbackWarning).toContain('WEBHOOK_URL');
		expect(ctx.sim.getParams(String(item.json.id))?.callback_url).toBe(PRIVATE_CALLBACK);
	});

	it("n8n's Test URL gets a warning too, while the Production URL does not", async () => {
		const testUrl = await createWith(publicApi, {
			callbackUrl: 'https://n8n.example.com/webhook-test/abc/kirin',
		});
		expect(outputOf(testUrl, 'Kirin')[0].json.callbackWarning).toContain("n8n's Test URL");
		const production = await createWith(publicApi, {
			callbackUrl: 'https://n8n.example.com/webhook/abc/kirin',
		});
		expect(outputOf(production, 'Kirin')[0].json).not.toHaveProperty('callbackWarning');
	});

	it('with "Stop With an Error", nothing is created and the error names the URL, why and the item', async () => {
		const run = await createWith(publicApi, {
			callbackUrl: PRIVATE_CALLBACK,
			unreachableCallback: 'error',
		});
		const error = errorOf(run);
		expect(error?.message).toContain(PRIVATE_CALLBACK);
		expect(error?.message).toContain('private network address');
		expect(error?.message).toContain('[item 0]');
		expect(error?.description).toContain('Nothing was created');
		expect(ctx.sim.counters.tasksCreated).toBe(0);
		expect(ctx.sim.requestLog).toHaveLength(0);
	});

	it.each([
		['an unreachable', PRIVATE_CALLBACK],
		['a reachable', 'https://n8n.example.com/webhook/abc/kirin'],
	])(
		'"If Kirin Cannot Reach the Callback URL" that is neither choice stops the node before anything is sent (%s URL)',
		async (_which, callbackUrl) => {
			const run = await runWorkflow(
				kirinWorkflow(
					[imageItem({ onUnreachable: 'stop' })],
					createParameters({}, { callbackUrl, unreachableCallback: '={{ $json.onUnreachable }}' }),
				),
				publicApi,
			);
			const error = errorOf(run);
			expect(error?.message).toBe('If Kirin Cannot Reach the Callback URL is "stop" [item 0]');
			expect(error?.description).toContain(
				'Choose Stop With an Error or Warn and Send It Anyway (an expression must give "error" or "warn" for item 0)',
			);
			expect(ctx.sim.counters.tasksCreated).toBe(0);
			expect(ctx.sim.requestLog).toHaveLength(0);
		},
	);

	it('a reused task\'s warning says it was made before, not "created with it"', async () => {
		// The simulator's own loopback address: the node's post of the reused task gets a 404 at once.
		const loopback = `${String(ctx.credentials.kirinApi.baseUrl)}/webhook/abc/kirin`;
		const workflow = {
			...kirinWorkflow([imageItem()], createParameters({}, { callbackUrl: loopback })),
			id: randomUUID(),
		};
		const first = outputOf(await runWorkflow(workflow, publicApi), 'Kirin');
		expect(first[0].json).toMatchObject({ reused: false });
		expect(first[0].json.callbackWarning).toContain('The task was created with it anyway.');

		const [again] = outputOf(await runWorkflow(workflow, publicApi), 'Kirin');
		expect(again.json).toMatchObject({ id: first[0].json.id, reused: true });
		expect(again.json.callbackWarning).toContain(loopback);
		expect(again.json.callbackWarning).toContain(
			'Nothing was created: the task was made before and is reused, and Kirin calls back only the URL it was created with.',
		);
		expect(again.json.callbackWarning).not.toContain('created with it anyway');
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('with a local Base URL (the simulator on 127.0.0.1) nothing is judged: no warning, and Pause pauses', async () => {
		const run = await createWith(ctx.credentials, {
			callbackUrl: PRIVATE_CALLBACK,
			unreachableCallback: 'error',
		});
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json).not.toHaveProperty('callbackWarning');

		const { paused, finished } = await pauseWith(ctx.credentials);
		expect((await paused).waitTill).toBeDefined();
		const items = outputOf(await finished, 'Kirin');
		expect(items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		expect(items[0].json).not.toHaveProperty('waitedBy');
	});
});
