// First: the node's backoff shortened; no test here is about how long it waits between attempts.
import './shortenedTime';

import { createHash, randomBytes } from 'node:crypto';

import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { TriggerHost } from '../support/triggerHost';
import { createParameters, imageItem, useSimulator, waitAndDownload } from './context';

// The same promises as the seed's engine tests, against a simulator that answers the way Kling's
// own API does (test/simulator/profiles.js): wrapped answers, Kling's field names and words, no
// look-up by external task ID, Kling's error bodies and callbacks.
const ctx = useSimulator({ profile: 'strict' });

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function create(parameters = createParameters(waitAndDownload), settings = {}) {
	return await runWorkflow(kirinWorkflow([imageItem()], parameters, settings), ctx.credentials);
}

async function getStatus(taskId: string, extra = {}) {
	return await runWorkflow(
		kirinWorkflow([{ json: {} }], { operation: 'getStatus', lookUpBy: 'id', taskId, ...extra }),
		ctx.credentials,
	);
}

describe('Kirin against the strict profile', () => {
	it('creates, waits for completion and downloads the right video', async () => {
		const run = await create();
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		const id = String(item.json.id);
		expect(item.json).toMatchObject({
			status: 'completed',
			rawStatus: 'succeed',
			duration: 5,
			cost: null,
			errorCode: null,
			errorMessage: null,
		});
		expect(item.json.externalTaskId).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(item.json.createdAt).toEqual(expect.any(String));
		expect(item.json.completedAt).toEqual(expect.any(String));
		expect(item.binary?.video).toMatchObject({ mimeType: 'video/mp4', fileName: `${id}.mp4` });
		expect(sha(Buffer.from(item.binary!.video.data, 'base64'))).toBe(sha(ctx.sim.expectedVideo(id)));
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('gets a task by its task ID, with its video', async () => {
		const created = outputOf(await create(createParameters()), 'Kirin')[0].json;
		expect(created).toMatchObject({ status: 'queued', rawStatus: 'submitted' });
		const id = String(created.id);
		await ctx.sim.waitFor((task) => task.id === id && task.status === 'succeed');
		const run = await getStatus(id, { download: true, binaryPropertyOutput: 'data' });
		const [item] = outputOf(run, 'Kirin');
		expect(item.json).toMatchObject({
			id,
			externalTaskId: created.externalTaskId,
			status: 'completed',
			createdAt: created.createdAt,
		});
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(ctx.sim.expectedVideo(id))).toBe(true);
	});

	it('says which task is unknown', async () => {
		const run = await getStatus('task_nope');
		expect(errorOf(run)?.message).toContain('Kirin has no task with ID "task_nope"');
	});

	it("reports a failed generation clearly, with Kling's reason", async () => {
		const run = await create(createParameters({ ...waitAndDownload, prompt: 'spin #fail' }));
		const task = ctx.sim.tasks().at(-1)!;
		const error = errorOf(run);
		expect(error?.message).toBe(`Kirin task ${task.id} failed [item 0] Tasks: item 0 ${task.id} failed.`);
		expect(error?.description).toBe(
			'Run it again, or try another image or prompt. Kirin said: generation process failed',
		);

		const isolated = await create(createParameters({ ...waitAndDownload, prompt: 'spin #fail' }), {
			onError: 'continueRegularOutput',
		});
		expect(outputOf(isolated, 'Kirin')[0].json).toMatchObject({
			status: 'failed',
			errorCode: null,
			errorMessage: 'generation process failed',
		});
	});

	it("gives a credential error for Kling's 401", async () => {
		const wrong = {
			kirinApi: { ...ctx.credentials.kirinApi, apiKey: `sk-wrong-${randomBytes(6).toString('hex')}` },
		};
		const run = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), wrong);
		expect(errorOf(run)?.message).toBe('Kirin rejected the API key [item 0, code 1000]');
		expect(errorOf(run)?.description).toMatch(/^Open the Kirin API credential and paste a valid key\./);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});

	it("survives transient faults worded Kling's way on status requests", async () => {
		ctx.sim.injectFault('get', { kind: 'status', status: 503 }, 2);
		ctx.sim.injectFault('get', { kind: 'rate-limit', retryAfterSeconds: 1 }, 1);
		const run = await create();
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json.status).toBe('completed');
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	// This API has no look-up by external task ID: every such answer is a 404, which proves
	// nothing. The node finds the tasks it made itself by their own IDs, and where the outcome of
	// a create stays unknown it fails the item instead of paying again.
	it('fails closed, naming the external task ID, when the answer to a recorded create is lost', async () => {
		ctx.sim.injectFault('create', { kind: 'reset-after' }, 1);
		const run = await create();
		const [task] = ctx.sim.tasks().slice(-1);
		const externalTaskId = String(ctx.sim.getParams(task.id)?.external_task_id);
		expect(errorOf(run)?.message).toBe(
			`The connection to Kirin broke off while starting this video (external task ID ${externalTaskId}), and Kirin cannot say whether it was started, so the node did not send it again [item 0]`,
		);
		expect((errorOf(run) as Error & { description?: string }).description).toContain(
			`external task ID "${externalTaskId}"`,
		);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
		expect(ctx.sim.counters.requests.create).toBe(1);
	});

	it("after a failed task under the user's own External Task ID, a lost answer is never sent again", async () => {
		const own = (prompt: string) =>
			runWorkflow(
				kirinWorkflow(
					[imageItem({ prompt })],
					createParameters(
						{ prompt: '={{ $json.prompt }}', waitForCompletion: true },
						{ externalTaskId: 'order-strict-9' },
					),
					{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
				),
				ctx.credentials,
			);
		expect(errorOf(await own('first try #fail'))?.message).toMatch(/failed \[item 0\]/);
		const created = ctx.sim.counters.tasksCreated;
		const sent = ctx.sim.counters.requests.create;
		// The new create is recorded, its answer lost. All this API shows under the ID is the task
		// that failed, which proves nothing: the item fails, and n8n's retries do not send it again.
		ctx.sim.injectFault('create', { kind: 'reset-after' }, 1);
		const run = await own('second try');
		expect(errorOf(run)?.message).toMatch(/\(external task ID order-strict-9\).*did not send it again/);
		expect(ctx.sim.counters.requests.create - sent).toBe(1);
		expect(ctx.sim.counters.tasksCreated - created).toBe(1);
	});

	it("does not pay twice when n8n's Retry On Fail re-runs the node", async () => {
		ctx.sim.setGenerationMs(60_000);
		const run = await create(createParameters({ waitForCompletion: true, timeLimitMinutes: 0.01 }), {
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
		});
		expect(errorOf(run)?.message).toContain('was still');
		expect(ctx.sim.counters.tasksCreated).toBe(1); // today: 3, one per try
	});

	it('finds a task it made by its external task ID', async () => {
		const created = outputOf(await create(createParameters()), 'Kirin')[0].json;
		const run = await runWorkflow(
			kirinWorkflow([{ json: created }], {
				operation: 'getStatus',
				lookUpBy: 'externalTaskId',
				externalTaskId: '={{ $json.externalTaskId }}',
			}),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json.id).toBe(created.id);
	});
});

describe('Spend control against the strict profile (no price-quote route: 404)', () => {
	const estimateCost = { operation: 'estimateCost', imageSource: 'binary', binaryPropertyName: 'data' };

	it('Estimate Cost says the price is unknown, and why', async () => {
		const run = await runWorkflow(
			kirinWorkflow([imageItem(), imageItem()], { ...estimateCost, prompt: 'a pan', duration: '5' }),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		const items = outputOf(run, 'Kirin');
		expect(items.map((item) => item.json.estimate)).toEqual(['unknown', 'unknown']);
		expect(items[0].json).toMatchObject({
			estimatedCost: null,
			estimateReason:
				'this Kirin host gives no price quotes: /model/v1/generation/precharge answered HTTP 404',
			unknownItems: 2,
		});
		expect(ctx.sim.counters.quotes.noRoute).toBe(1);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});

	it('Create with a Max Cost stops by default, and goes ahead when told to', async () => {
		const stopped = await create(createParameters({}, { maxCostPerRun: 5 }));
		expect(errorOf(stopped)?.message).toBe(
			'Kirin gave no price for item 0 (this Kirin host gives no price quotes: /model/v1/generation/precharge answered HTTP 404), and When the Price Is Unknown is Stop, so nothing was created',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(0);

		const ahead = await create(createParameters({}, { maxCostPerRun: 5, whenPriceUnknown: 'goAhead' }));
		expect(errorOf(ahead)).toBeUndefined();
		expect(outputOf(ahead, 'Kirin')[0].json).toMatchObject({ status: 'queued', estimatedCost: null });
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});
});

describe('Kirin Trigger against the strict profile', () => {
	let host: TriggerHost;
	afterEach(async () => await host?.stop());

	async function startHost(): Promise<string> {
		host = new TriggerHost(
			{ events: ['completed', 'failed'], verify: true, requireToken: false },
			ctx.credentials,
		);
		return await host.start();
	}

	async function post(url: string, body: unknown): Promise<number> {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		await response.arrayBuffer();
		return response.status;
	}

	it("accepts Kling's callback after verifying the task with the API", async () => {
		const url = await startHost();
		const run = await create(createParameters({}, { callbackUrl: url }));
		const id = String(outputOf(run, 'Kirin')[0].json.id);
		await host.handled(3); // submitted, processing, succeed
		expect(host.answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		const posted = host.answers[2].request as Record<string, unknown>;
		expect(posted).toMatchObject({ task_id: id, task_status: 'succeed' });
		expect(posted).not.toHaveProperty('data');
		// Verified: the trigger asked the API about this very task after the final callback.
		expect(ctx.sim.requestLog.filter((entry) => entry.path.endsWith(`/task/${id}`))).toHaveLength(1);
		expect(host.runs).toHaveLength(1);
		expect(host.runs[0][0].json).toEqual(outputOf(await getStatus(id), 'Kirin')[0].json);
		expect(host.answers[2].response).toEqual({ ok: true, started: true, taskId: id, status: 'completed' });
	});

	it('rejects a Kling-shaped callback the API does not confirm', async () => {
		ctx.sim.setGenerationMs(60_000);
		const url = await startHost();
		const id = String(outputOf(await create(createParameters()), 'Kirin')[0].json.id);
		const running = ctx.sim.callbackBody(id) as Record<string, unknown>;
		expect(await post(url, { ...running, task_status: 'succeed' })).toBe(409);
		expect(await post(url, { ...running, task_id: 'task_forged', task_status: 'succeed' })).toBe(403);
		expect(host.runs).toHaveLength(0);
	});
});
