// First: the node's backoff shortened; no test here is about how long it waits between attempts.
import './shortenedTime';

import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { forgetAllApis } from '../../nodes/shared/api/knownTasks';

import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { API_KEY, createParameters, imageItem, PNG_640x480, useSimulator, waitAndDownload } from './context';

const ctx = useSimulator();

function sha(buffer: Buffer): string {
	return createHash('sha256').update(buffer).digest('hex');
}

describe('Create', () => {
	it('turns a binary image into a completed task with the video as binary, byte for byte', async () => {
		const run = await runWorkflow(
			kirinWorkflow([imageItem({ sku: 'A1' })], createParameters(waitAndDownload)),
			ctx.credentials,
		);

		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		expect(item.json).toMatchObject({
			status: 'completed',
			rawStatus: 'succeed',
			errorCode: null,
			duration: 5,
			cost: 0.35,
		});
		expect(item.json.externalTaskId).toMatch(/^n8n-[0-9a-f]{32}$/);
		expect(item.pairedItem).toEqual({ item: 0 });
		const video = item.binary?.video;
		expect(video).toMatchObject({ mimeType: 'video/mp4', fileName: `${String(item.json.id)}.mp4` });
		const served = ctx.sim.expectedVideo(String(item.json.id));
		expect(sha(Buffer.from(video!.data, 'base64'))).toBe(sha(served));
		expect(ctx.sim.counters.tasksCreated).toBe(1);
		// The video URL is on the API's own origin here, so the key may go along; see the CDN case below.
	});

	it('sends the image it was given as bare base64', async () => {
		const run = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), ctx.credentials);
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.status).toBe('queued');
		expect(ctx.sim.getParams(String(item.json.id))?.image).toBe(PNG_640x480.toString('base64'));
	});

	it('passes an image URL through without downloading it', async () => {
		const url = 'https://images.example.com/shoe.jpg';
		const run = await runWorkflow(
			kirinWorkflow(
				[{ json: { url } }],
				createParameters({ imageSource: 'url', imageUrl: '={{ $json.url }}' }),
			),
			ctx.credentials,
		);
		const [item] = outputOf(run, 'Kirin');
		expect(errorOf(run)).toBeUndefined();
		expect(ctx.sim.getParams(String(item.json.id))?.image).toBe(url);
	});

	it('strips a data-URI prefix from base64 input and never sends it', async () => {
		const dataUri = `data:image/png;base64,${PNG_640x480.toString('base64')}`;
		const run = await runWorkflow(
			kirinWorkflow(
				[{ json: { dataUri } }],
				createParameters({ imageSource: 'base64', imageBase64: '={{ $json.dataUri }}' }),
			),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		expect(ctx.sim.getParams(String(item.json.id))?.image).toBe(PNG_640x480.toString('base64'));
	});

	it('sends duration, watermark, callback URL and the user external task ID', async () => {
		const run = await runWorkflow(
			kirinWorkflow(
				[imageItem()],
				createParameters(
					{ duration: '10' },
					{ watermark: true, callbackUrl: 'http://127.0.0.1:9/hook', externalTaskId: 'order-42' },
				),
			),
			ctx.credentials,
		);
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.externalTaskId).toBe('order-42');
		expect(ctx.sim.getParams(String(item.json.id))).toMatchObject({
			duration: '10',
			watermark_info: { enabled: true },
			callback_url: 'http://127.0.0.1:9/hook',
			external_task_id: 'order-42',
		});
	});

	it('reports a failed generation with the API code, and isolates it with Continue On Fail', async () => {
		const failing = kirinWorkflow(
			[imageItem({ prompt: 'spin #fail' })],
			createParameters({ ...waitAndDownload, prompt: '={{ $json.prompt }}' }),
		);
		const stopped = await runWorkflow(failing, ctx.credentials);
		// The node's error names every item's task, so a paid task is never hidden behind it.
		const failedTask = ctx.sim.tasks().at(-1)!;
		expect(errorOf(stopped)?.message).toBe(
			`Kirin could not generate this video (task ${failedTask.id}) [item 0, code 8002009098] Tasks: item 0 ${failedTask.id} failed.`,
		);
		expect(errorOf(stopped)?.description).toMatch(/^Run it again, or try another image or prompt\./);

		const seeds = [
			imageItem({ prompt: 'ok' }),
			imageItem({ prompt: 'spin #fail' }),
			imageItem({ prompt: 'ok too' }),
		];
		const run = await runWorkflow(
			kirinWorkflow(seeds, createParameters({ ...waitAndDownload, prompt: '={{ $json.prompt }}' }), {
				onError: 'continueRegularOutput',
			}),
			ctx.credentials,
		);
		const items = outputOf(run, 'Kirin');
		expect(items.map((item) => item.json.status)).toEqual(['completed', 'failed', 'completed']);
		expect(items[1].json.errorCode).toBe(8002009098);
		expect(items[1].json.error).toContain('[item 1, code 8002009098]');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].binary?.video).toBeDefined();
		expect(items[1].binary).toBeUndefined();
	});

	it('refuses a second item with the same own External Task ID before anything is sent', async () => {
		const sameId = (onError?: 'continueRegularOutput') =>
			kirinWorkflow(
				[imageItem({ prompt: 'red shoe', sku: 'shoe' }), imageItem({ prompt: 'blue shoe', sku: 'shoe' })],
				createParameters({ prompt: '={{ $json.prompt }}' }, { externalTaskId: '={{ $json.sku }}' }),
				onError ? { onError } : {},
			);
		const stopped = await runWorkflow(sameId(), ctx.credentials);
		expect(errorOf(stopped)?.message).toBe(
			'The external task ID "shoe" is item 0\'s too: each video needs its own [item 1]',
		);
		expect(ctx.sim.counters.requests.create).toBe(0);

		// With Continue, the first item gets its own video; the second never gets the first's.
		const items = outputOf(await runWorkflow(sameId('continueRegularOutput'), ctx.credentials), 'Kirin');
		expect(ctx.sim.getParams(String(items[0].json.id))?.prompt).toBe('red shoe');
		expect(items[1].json).toEqual({
			error: 'The external task ID "shoe" is item 0\'s too: each video needs its own [item 1]',
			message: expect.stringMatching(/^Map Options → External Task ID to a value that differs per item/),
		});
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it("names another item's create of unknown outcome in the error that stops the node", async () => {
		// Item 0 is refused by Kirin; item 1's create is answered with a 2xx nobody can read and
		// then cannot be looked up, so it may have been paid for: the node's error names it too.
		ctx.sim.injectFault('create', { kind: 'api-error', code: 8002009003, status: 400 }, 1);
		ctx.sim.injectFault('create', { kind: 'garbled-after' }, 1);
		let creates = 0;
		const onRequest = (entry: { route: string }) => {
			if (entry.route !== 'create' || ++creates < 2) return;
			ctx.sim.injectFault('get', { kind: 'status', status: 503 }, 50);
			ctx.sim.off('request', onRequest);
		};
		ctx.sim.on('request', onRequest);
		const run = await runWorkflow(
			kirinWorkflow(
				[imageItem({ prompt: 'refused' }), imageItem({ prompt: 'unsure' })],
				createParameters({ prompt: '={{ $json.prompt }}' }, { concurrency: 1 }),
			),
			ctx.credentials,
		);
		const [unsure] = ctx.sim.tasks().slice(-1);
		const unsureId = String(ctx.sim.getParams(unsure.id)?.external_task_id);
		expect(ctx.sim.getParams(unsure.id)?.prompt).toBe('unsure');
		expect(errorOf(run)?.message).toMatch(
			new RegExp(
				`\\[item 0, code 8002009003\\] Tasks: item 1 outcome unknown \\(external task ID ${unsureId}\\)\\.$`,
			),
		);
		expect(ctx.sim.counters.requests.create).toBe(2);
	});

	it('runs 20 items at once: all complete, their generations overlap, order is kept', async () => {
		ctx.sim.setGenerationMs(2000);
		const seeds = Array.from({ length: 20 }, (_, index) => imageItem({ n: index }));
		const run = await runWorkflow(
			kirinWorkflow(seeds, createParameters({ ...waitAndDownload, prompt: '=shot {{ $json.n }}' })),
			ctx.credentials,
		);
		const items = outputOf(run, 'Kirin');
		expect(items).toHaveLength(20);
		expect(items.every((item) => item.json.status === 'completed' && item.binary?.video)).toBe(true);
		expect(items.map((item) => ctx.sim.getParams(String(item.json.id))?.prompt)).toEqual(
			seeds.map((_, n) => `shot ${n}`),
		);
		expect(ctx.sim.counters.tasksCreated).toBe(20);
		expect(ctx.sim.counters.peakConcurrentTasks).toBeGreaterThan(1);
	});

	it('survives transient faults on status requests', async () => {
		ctx.sim.injectFault('get', { kind: 'status', status: 503 }, 2);
		ctx.sim.injectFault('get', { kind: 'rate-limit', retryAfterSeconds: 1 }, 1);
		ctx.sim.injectFault('get', { kind: 'api-error', code: 8002009099 }, 1);
		const run = await runWorkflow(
			kirinWorkflow([imageItem()], createParameters(waitAndDownload)),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run, 'Kirin')[0].json.status).toBe('completed');
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	/** One Create with Wait through a fault on its create: completed, one task under its external ID. */
	async function completesOnceThrough(fault: Parameters<typeof ctx.sim.injectFault>[1]) {
		ctx.sim.injectFault('create', fault, 1);
		const run = await runWorkflow(
			kirinWorkflow([imageItem()], createParameters(waitAndDownload)),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.status).toBe('completed');
		expect(ctx.sim.counters.tasksPerExternalId[String(item.json.externalTaskId)]).toBe(1);
	}

	it('creates exactly one task when the connection resets after the task was recorded', async () => {
		await completesOnceThrough({ kind: 'reset-after' });
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	/** A first video teaches the node that Kirin finds tasks by external ID (else a 404 proves nothing). */
	async function teachLookup() {
		const teach = kirinWorkflow([imageItem({ prompt: 'teach' })], createParameters());
		teach.nodes[1].parameters.prompt = '={{ $json.prompt }}';
		expect(errorOf(await runWorkflow(teach, ctx.credentials))).toBeUndefined();
	}

	it('asks again before paying again when a slow gateway records the task after its 504', async () => {
		// The lookup right after the 504 finds nothing; the task appears a moment later. Sending the
		// create again then would buy a second video: the next attempt looks the task up first.
		await teachLookup();
		await completesOnceThrough({ kind: 'late-record' });
		expect(ctx.sim.counters.requests.create).toBe(2);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('reports a task a slow gateway recorded late, and that failed, as its failed generation', async () => {
		await teachLookup();
		ctx.sim.injectFault('create', { kind: 'late-record' }, 1);
		const late = kirinWorkflow(
			[imageItem({ prompt: 'late #fail' })],
			createParameters({ ...waitAndDownload, prompt: '={{ $json.prompt }}' }),
		);
		const message = errorOf(await runWorkflow(late, ctx.credentials))?.message;
		const failedTask = ctx.sim.tasks().at(-1)!;
		expect(message).toMatch(new RegExp(`^Kirin could not generate this video \\(task ${failedTask.id}\\)`));
		expect(ctx.sim.counters.requests.create).toBe(2);
	});

	it('creates again when the connection resets before anything was recorded', async () => {
		ctx.sim.injectFault('create', { kind: 'reset-before' }, 1);
		const run = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), ctx.credentials);
		expect(errorOf(run)).toBeUndefined();
		expect(ctx.sim.counters.requests.create).toBe(2);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it("does not pay twice when n8n's Retry On Fail re-runs the node", async () => {
		ctx.sim.setGenerationMs(60_000);
		const run = await runWorkflow(
			kirinWorkflow([imageItem()], createParameters({ waitForCompletion: true, timeLimitMinutes: 0.01 }), {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
			}),
			ctx.credentials,
		);
		expect(errorOf(run)?.message).toContain('was still');
		expect(ctx.sim.counters.tasksCreated).toBe(1);
		expect(ctx.sim.counters.requests.create).toBe(1);
	});

	it('gives a credential error for a wrong key, and creates nothing', async () => {
		const wrongKey = `sk-wrong-${randomBytes(6).toString('hex')}`;
		const wrong = { kirinApi: { ...ctx.credentials.kirinApi, apiKey: wrongKey } };
		const run = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), wrong);
		expect(errorOf(run)?.message).toBe('Kirin rejected the API key [item 0, code 8002009006]');
		expect(errorOf(run)?.description).toMatch(/^Open the Kirin API credential and paste a valid key\./);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
		expect(JSON.stringify(run)).not.toContain(wrongKey);
		expect(JSON.stringify(run)).not.toContain(API_KEY);
	});

	it('follows a redirect of the video to another origin without the key, and still downloads it', async () => {
		ctx.sim.setRedirectVideosTo('localhost');
		try {
			const run = await runWorkflow(
				kirinWorkflow([imageItem()], createParameters(waitAndDownload)),
				ctx.credentials,
			);
			expect(errorOf(run)).toBeUndefined();
			const [item] = outputOf(run, 'Kirin');
			const served = ctx.sim.expectedVideo(String(item.json.id));
			expect(Buffer.from(item.binary!.video.data, 'base64').equals(served)).toBe(true);
			const cdn = ctx.sim.requestLog.filter((entry) => entry.path.startsWith('/cdn/'));
			expect(cdn).toHaveLength(1);
			expect(cdn[0].host).toMatch(/^localhost:/);
			expect(cdn[0].withAuthorization).toBe(false);
			expect(JSON.stringify(run)).not.toContain(API_KEY);
		} finally {
			ctx.sim.setRedirectVideosTo(undefined);
		}
	});

	it('never sends a create again after an answer it cannot read, even when the look-up fails too', async () => {
		ctx.sim.injectFault('create', { kind: 'garbled-after' }, 5);
		// Once the create is in, every look-up fails: the outcome cannot be learned.
		const onRequest = (entry: { route: string }) => {
			if (entry.route !== 'create') return;
			ctx.sim.injectFault('get', { kind: 'status', status: 503 }, 50);
			ctx.sim.off('request', onRequest);
		};
		ctx.sim.on('request', onRequest);
		const run = await runWorkflow(kirinWorkflow([imageItem()], createParameters()), ctx.credentials);
		const [task] = ctx.sim.tasks().slice(-1);
		const externalTaskId = String(ctx.sim.getParams(task.id)?.external_task_id);
		expect(ctx.sim.counters.requests.create).toBe(1);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
		expect(errorOf(run)?.message).toBe(
			`Kirin answered HTTP 200 with something that is not JSON while starting this video (external task ID ${externalTaskId}), and Kirin cannot say whether it was started, so the node did not send it again [item 0]`,
		);
	});

	it('a create lost on a freshly started n8n is sent again only once Kirin is known to find tasks by external ID', async () => {
		forgetAllApis();
		ctx.sim.injectFault('create', { kind: 'reset-before' }, 1);
		const lost = { ...kirinWorkflow([imageItem({ prompt: 'lost' })], createParameters()), id: randomUUID() };
		const other = {
			...kirinWorkflow([imageItem({ prompt: 'other' })], createParameters()),
			id: randomUUID(),
		};
		lost.nodes[1].parameters.prompt = other.nodes[1].parameters.prompt = '={{ $json.prompt }}';

		// Nothing known yet: a 404 from the lookup proves nothing, so neither run sends it again.
		for (let run = 0; run < 2; run++) {
			expect(errorOf(await runWorkflow(lost, ctx.credentials))?.message).toMatch(
				/while starting this video \(external task ID n8n-[0-9a-f]{32}\).*did not send it again/,
			);
		}
		expect(ctx.sim.counters.requests.create).toBe(1);
		expect(ctx.sim.counters.tasksCreated).toBe(0);

		// Another video teaches the node that Kirin finds tasks by external ID: now a 404 is proof.
		expect(errorOf(await runWorkflow(other, ctx.credentials))).toBeUndefined();
		const again = await runWorkflow(lost, ctx.credentials);
		expect(errorOf(again)).toBeUndefined();
		expect(ctx.sim.getParams(String(outputOf(again, 'Kirin')[0].json.id))?.prompt).toBe('lost');
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it("after a failed task under the user's own External Task ID, a lost answer finds the new task", async () => {
		const own = (prompt: string) =>
			kirinWorkflow(
				[imageItem({ prompt })],
				createParameters(
					{ prompt: '={{ $json.prompt }}', waitForCompletion: true },
					{ externalTaskId: 'order-own-9' },
				),
				{ retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
			);
		// The first task under the ID fails; the user runs it again, and that create's answer is lost.
		expect(errorOf(await runWorkflow(own('first try #fail'), ctx.credentials))?.message).toMatch(
			/code 8002009098/,
		);
		const created = ctx.sim.counters.tasksCreated;
		const sent = ctx.sim.counters.requests.create;
		ctx.sim.injectFault('create', { kind: 'reset-after' }, 1);
		const run = await runWorkflow(own('second try'), ctx.credentials);
		// This process remembers the failed task under the ID; Kirin's lookup knows the new one,
		// and wins: the item gets the video of its second try, bought once.
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		expect(item.json).toMatchObject({ externalTaskId: 'order-own-9', status: 'completed' });
		expect(ctx.sim.getParams(String(item.json.id))?.prompt).toBe('second try');
		expect(ctx.sim.counters.requests.create - sent).toBe(1);
		expect(ctx.sim.counters.tasksCreated - created).toBe(1);
	});

	it("never hands on an old task whose own ID is this item's External Task ID: a new video is made", async () => {
		// The lookup route takes task IDs too: an External Task ID mapped from an earlier Kirin output
		// (`{{ $json.id }}`, to make that video again with a new prompt) finds the old task by its ID.
		const first = await runWorkflow(
			kirinWorkflow(
				[imageItem({ prompt: 'the old video' })],
				createParameters({ prompt: '={{ $json.prompt }}' }),
			),
			ctx.credentials,
		);
		const oldId = String(outputOf(first, 'Kirin')[0].json.id);
		const again = await runWorkflow(
			kirinWorkflow(
				[imageItem({ prompt: 'a new prompt' })],
				createParameters({ prompt: '={{ $json.prompt }}' }, { externalTaskId: oldId }),
			),
			ctx.credentials,
		);
		expect(errorOf(again)).toBeUndefined();
		const [item] = outputOf(again, 'Kirin');
		expect(item.json.id).not.toBe(oldId);
		expect(item.json).toMatchObject({ externalTaskId: oldId, reused: false });
		expect(ctx.sim.getParams(String(item.json.id))?.prompt).toBe('a new prompt');
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('never sends the API key to a video host on another origin', async () => {
		ctx.sim.setVideoHost('localhost');
		try {
			const run = await runWorkflow(
				kirinWorkflow([imageItem()], createParameters(waitAndDownload)),
				ctx.credentials,
			);
			const [item] = outputOf(run, 'Kirin');
			expect(String(item.json.videoUrl)).toMatch(/^http:\/\/localhost:/);
			expect(item.binary?.video).toBeDefined();
			expect(ctx.sim.counters.requests.download).toBe(1);
			expect(ctx.sim.counters.downloadsWithAuthorization).toBe(0);
		} finally {
			ctx.sim.setVideoHost(undefined);
		}
	});
});
