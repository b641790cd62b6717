import { randomBytes } from 'node:crypto';

import { kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { TriggerHost } from '../support/triggerHost';
import { API_KEY, createParameters, imageItem, useSimulator } from './context';

const ctx = useSimulator();
const SECRET = `cb-secret-${randomBytes(6).toString('hex')}`;

let host: TriggerHost;
afterEach(async () => await host?.stop());

async function startHost(
	parameters: Record<string, unknown>,
	credentials = ctx.credentials,
): Promise<string> {
	host = new TriggerHost(
		{ events: ['completed', 'failed'], verify: true, requireToken: false, ...parameters },
		credentials,
	);
	return await host.start();
}

async function createWithCallback(
	callbackUrl: string,
	prompt = 'spin',
	credentials = ctx.credentials,
): Promise<string> {
	const run = await runWorkflow(
		kirinWorkflow([imageItem()], createParameters({ prompt }, { callbackUrl })),
		credentials,
	);
	return String(outputOf(run, 'Kirin')[0].json.id);
}

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What Get Status says about a task: the API's own view, through the same client. */
async function apiView(id: string) {
	const run = await runWorkflow(
		kirinWorkflow([{ json: {} }], { operation: 'getStatus', lookUpBy: 'id', taskId: id }),
		ctx.credentials,
	);
	return outputOf(run, 'Kirin')[0].json;
}

describe('Kirin Trigger', () => {
	it('starts one run for a completed task, matching what the API says', async () => {
		const url = await startHost({});
		const id = await createWithCallback(url);
		await host.handled(3); // queued, processing, completed
		expect(host.answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		expect(host.runs).toHaveLength(1);
		expect(host.runs[0][0].json).toEqual(await apiView(id));
		expect(host.answers[2].response).toEqual({ ok: true, started: true, taskId: id, status: 'completed' });
	});

	it('starts a run for a failed task with its error code and message', async () => {
		const url = await startHost({});
		await createWithCallback(url, 'spin #fail');
		await host.handled(3);
		expect(host.runs).toHaveLength(1);
		expect(host.runs[0][0].json).toMatchObject({
			status: 'failed',
			errorCode: 8002009098,
			errorMessage: 'generation process failed',
		});
	});

	it('answers 200 but starts nothing for a status it was not asked for', async () => {
		const url = await startHost({ events: ['completed'] });
		await createWithCallback(url, 'spin #fail');
		await host.handled(3);
		expect(host.answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		expect(host.runs).toHaveLength(0);
	});

	it('can start on every status change', async () => {
		// Each status lasts long enough for the trigger's check with the API to see it, also on a
		// busy machine: the trigger starts a run with the task as the API shows it at that check.
		ctx.sim.setQueuedMs(800);
		ctx.sim.setGenerationMs(800);
		const url = await startHost({ events: ['*'] });
		await createWithCallback(url);
		await host.handled(3);
		expect(host.runs.map((run) => run[0].json.status)).toEqual(['queued', 'processing', 'completed']);
	});

	it('rejects a callback for a task the API does not know', async () => {
		const url = await startHost({});
		const answer = await post(url, {
			id: 'task_forged',
			status: 'succeed',
			output: [{ content: [{ type: 'video', url: 'http://evil.example/x.mp4' }] }],
		});
		expect(answer.status).toBe(403);
		expect(host.runs).toHaveLength(0);
	});

	it('rejects a callback claiming completion while the API says the task is still running', async () => {
		ctx.sim.setGenerationMs(60_000);
		const url = await startHost({});
		const id = await createWithCallback('http://127.0.0.1:9/elsewhere');
		const answer = await post(url, { ...ctx.sim.getTask(id), status: 'succeed' });
		expect(answer.status).toBe(409);
		expect(host.runs).toHaveLength(0);
	});

	it('answers a late callback for a status the task has left with 200, and starts nothing', async () => {
		const url = await startHost({ events: ['*'] });
		const id = await createWithCallback('http://127.0.0.1:9/elsewhere');
		const queued = ctx.sim.getTask(id);
		ctx.sim.setTaskStatus(id, 'processing');
		const answer = await post(url, queued);
		expect(answer).toEqual({ status: 200, body: { ok: true, started: false, reason: 'superseded' } });
		expect(host.runs).toHaveLength(0);
	});

	it('rejects a missing or wrong token when one is required, and accepts the one the Kirin node adds', async () => {
		const credentials = { kirinApi: { ...ctx.credentials.kirinApi, callbackSecret: SECRET } };
		const url = await startHost({ requireToken: true }, credentials);
		const id = await createWithCallback(url, 'spin', credentials);
		await host.handled(3);
		expect(host.runs).toHaveLength(1);
		const task = ctx.sim.getTask(id);
		expect((await post(url, task)).status).toBe(401);
		expect((await post(`${url}?token=wrong`, task)).status).toBe(401);
		expect(host.runs).toHaveLength(1);
		expect(JSON.stringify(host.answers)).not.toContain(SECRET);
	});

	it('starts one run when the same delivery arrives twice', async () => {
		const url = await startHost({});
		const id = await createWithCallback('http://127.0.0.1:9/elsewhere');
		await ctx.sim.waitFor((task) => task.id === id && task.status === 'succeed');
		const first = await post(url, ctx.sim.getTask(id));
		const second = await post(url, ctx.sim.getTask(id));
		expect(first.body).toMatchObject({ started: true });
		expect(second).toEqual({ status: 200, body: { ok: true, started: false, reason: 'already delivered' } });
		expect(host.runs).toHaveLength(1);
	});

	it('asks for a retry and starts nothing when the API cannot be reached', async () => {
		const id = await createWithCallback('http://127.0.0.1:9/elsewhere');
		const unreachable = { kirinApi: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' } };
		const url = await startHost({}, unreachable);
		const answer = await post(url, { ...ctx.sim.getTask(id), status: 'succeed' });
		expect(answer.status).toBe(503);
		expect(host.answers[0].headers['retry-after']).toBe('30');
		expect(host.runs).toHaveLength(0);
	});

	it('brings the video along when asked, and never shows the API key', async () => {
		const url = await startHost({ download: true, binaryPropertyOutput: 'video' });
		const id = await createWithCallback(url);
		await host.handled(3);
		const video = host.runs[0][0].binary?.video;
		expect(Buffer.from(video!.data, 'base64').equals(ctx.sim.expectedVideo(id))).toBe(true);
		expect(JSON.stringify({ answers: host.answers, runs: host.runs })).not.toContain(API_KEY);
	});
});
