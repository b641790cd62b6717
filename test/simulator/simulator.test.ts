import { makePng } from '../fixtures/images';
import { KirinSimulator } from '../simulator';
import { startImpostor } from '../support/impostors';

const KEY = 'sk-sim-test';
const png = makePng(640, 480).toString('base64');
let sim: KirinSimulator;
let base: string;

/** A fresh simulator of this profile for each test of the enclosing describe. */
function useProfile(profile: 'seed' | 'strict') {
	beforeEach(async () => {
		sim = new KirinSimulator({ apiKey: KEY, queuedMs: 10, generationMs: 40, videoBytes: 200_000, profile });
		base = await sim.start({ port: 0, host: '127.0.0.1' });
	});
	afterEach(async () => await sim.stop());
}

/** What a callback posted, parsed: a task in one of the profiles' shapes. */
type CallbackBody = Record<string, unknown>;

/** Receives callbacks on a real port; `bodies` is what was posted, parsed. */
async function callbackReceiver() {
	const receiver = await startImpostor({ status: 200, body: 'ok' });
	return {
		url: `${receiver.url}/cb`,
		get bodies(): CallbackBody[] {
			return receiver.requests.map((request) => JSON.parse(request.body) as CallbackBody);
		},
		close: async () => await receiver.stop(),
	};
}

function envelope(params: Record<string, unknown>) {
	return {
		model: 'kirin_v2_1_master_i2v',
		input: [{ params: { image: png, prompt: 'a pan', duration: '5', ...params } }],
	};
}

/**
 * What the simulator answered when it answered JSON (tasks and errors), read loosely: any field
 * can be reached (`json.data.task_id`) and compared; a test that needs a string says so.
 */
interface ApiJson {
	[field: string]: ApiJson;
}

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
	const response = await fetch(base + path, {
		method,
		headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: ApiJson;
	try {
		json = JSON.parse(text) as ApiJson;
	} catch {
		json = {}; // not JSON: the test reads `text`
	}
	return { status: response.status, json, text, headers: response.headers };
}

describe('the simulator', () => {
	useProfile('seed');

	it('requires the Bearer key', async () => {
		expect(await call('POST', '/model/v1/generation', envelope({}), null)).toMatchObject({
			status: 401,
			json: { code: 8002009006 },
		});
		expect(await call('GET', '/model/v1/generation/task/x', undefined, 'wrong')).toMatchObject({
			status: 401,
			json: { code: 8002009006 },
		});
		expect(sim.counters.unauthorized).toBe(2);
	});

	it.each([
		['no image', { image: '' }, 8002009001],
		['a data URI', { image: `data:image/png;base64,${png}` }, 8002009002],
		['a GIF', { image: Buffer.from('GIF89a....').toString('base64') }, 8002009002],
		['299 px', { image: makePng(299, 400).toString('base64') }, 8002009002],
		['a ratio over 2.5:1', { image: makePng(751, 300).toString('base64') }, 8002009005],
		['2501 characters', { prompt: 'x'.repeat(2501) }, 8002009003],
		['a numeric duration', { duration: 5 }, 8002009004],
		['duration 7', { duration: '7' }, 8002009004],
	])('answers %s with its code', async (_name, params, code) => {
		expect(await call('POST', '/model/v1/generation', envelope(params))).toMatchObject({
			status: 400,
			json: { code },
		});
		expect(sim.counters.tasksCreated).toBe(0);
	});

	it('is strict about the envelope', async () => {
		expect((await call('POST', '/model/v1/generation', { model: 'other', input: [] })).status).toBe(400);
		expect((await call('POST', '/model/v1/generation', { ...envelope({}), input: [] })).status).toBe(400);
	});

	it('moves a task through its lifecycle, serves its video and counts by external ID', async () => {
		const created = await call('POST', '/model/v1/generation', envelope({ external_task_id: 'ext-1' }));
		expect(created.json).toMatchObject({ status: 'pending', external_task_id: 'ext-1' });
		const done = await sim.waitFor(
			(task) => task.id === String(created.json.id) && task.status === 'succeed',
		);
		const url = (done.output as Array<{ content: Array<{ url: string }> }>)[0].content[0].url;
		const byExternal = await call('GET', '/model/v1/generation/task/ext-1');
		expect(byExternal.json).toMatchObject({
			id: String(created.json.id),
			status: 'succeed',
			usage: { cost: '0.35' },
		});
		const video = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(video.equals(sim.expectedVideo(String(created.json.id)))).toBe(true);
		expect(video.length).toBe(200_000);
		expect(sim.counters.tasksPerExternalId).toEqual({ 'ext-1': 1 });
		expect((await call('GET', '/model/v1/generation/task/nope')).status).toBe(404);
	});

	it('fails tasks on request', async () => {
		const created = await call('POST', '/model/v1/generation', envelope({ prompt: 'boom #fail' }));
		const failed = await sim.waitFor(
			(task) => task.id === String(created.json.id) && task.status === 'failed',
		);
		expect(failed.error).toEqual({ code: 8002009098, error_message: 'generation process failed' });
	});

	it('refuses a "#refused" task as soon as its create is answered: its create said queued, its next look-up says failed', async () => {
		const created = await call('POST', '/model/v1/generation', envelope({ prompt: 'boom #refused' }));
		expect(created.json.status).toBe('pending');
		const got = await call('GET', `/model/v1/generation/task/${String(created.json.id)}`);
		expect(got.json).toMatchObject({ status: 'failed', error: { code: 8002009098 } });
	});

	it('posts the task to the callback URL on every status change', async () => {
		const receiver = await callbackReceiver();
		await call('POST', '/model/v1/generation', envelope({ callback_url: receiver.url }));
		const deliveries = await sim.waitForCallbacks(3);
		expect(deliveries.map((delivery) => delivery.httpStatus)).toEqual([200, 200, 200]);
		expect(receiver.bodies.map((body) => body.status)).toEqual(['pending', 'in_progress', 'succeed']);
		await receiver.close();
	});

	it('injects faults in order, then behaves', async () => {
		sim.injectFault('get', { kind: 'status', status: 502 });
		sim.injectFault('get', { kind: 'rate-limit', retryAfterSeconds: 2 });
		sim.injectFault('get', { kind: 'malformed-json' });
		sim.injectFault('get', { kind: 'html' });
		expect((await call('GET', '/model/v1/generation/task/x')).status).toBe(502);
		const limited = await call('GET', '/model/v1/generation/task/x');
		expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
		expect(await call('GET', '/model/v1/generation/task/x')).toMatchObject({
			status: 200,
			text: '{"id": "tas',
		});
		expect((await call('GET', '/model/v1/generation/task/x')).text).toContain('Bad Gateway');
		expect((await call('GET', '/model/v1/generation/task/x')).status).toBe(404);
		expect(sim.counters.requests.get).toBe(5);
	});

	it('records the task before a reset-after, not before a reset-before', async () => {
		sim.injectFault('create', { kind: 'reset-before' });
		await expect(call('POST', '/model/v1/generation', envelope({}))).rejects.toThrow();
		expect(sim.counters.tasksCreated).toBe(0);
		sim.injectFault('create', { kind: 'reset-after' });
		await expect(call('POST', '/model/v1/generation', envelope({ external_task_id: 'r' }))).rejects.toThrow();
		expect(sim.counters.tasksPerExternalId).toEqual({ r: 1 });
	});

	it('answers as usual after a delay fault, later', async () => {
		sim.injectFault('get', { kind: 'delay', ms: 300 });
		const sent = performance.now();
		expect((await call('GET', '/model/v1/generation/task/x')).status).toBe(404);
		expect(performance.now() - sent).toBeGreaterThanOrEqual(290);
		expect(sim.faults.get).toHaveLength(0);
	});

	it('streams a big error body and can hang until stopped', async () => {
		sim.injectFault('get', { kind: 'big-error', bytes: 5 * 1024 * 1024 });
		const big = await call('GET', '/model/v1/generation/task/x');
		expect([big.status, big.text.length]).toEqual([500, 5 * 1024 * 1024]);
		sim.injectFault('get', { kind: 'hang' });
		await expect(
			fetch(`${base}/model/v1/generation/task/x`, { signal: AbortSignal.timeout(200) }),
		).rejects.toThrow();
	});

	it('tracks overlapping tasks', async () => {
		// Long enough that the first task is still running when the third is created, even on a busy machine.
		sim.setGenerationMs(500);
		await Promise.all([1, 2, 3].map(() => call('POST', '/model/v1/generation', envelope({}))));
		expect(sim.counters.peakConcurrentTasks).toBe(3);
		await sim.waitFor(() => sim.counters.activeTasks === 0);
	});
});

describe("the strict profile (Kling's own reading of the API)", () => {
	useProfile('strict');

	const TASK_KEYS = ['created_at', 'task_id', 'task_info', 'task_status', 'updated_at'];

	it("wraps create and get answers, in Kling's field names, words and millisecond times", async () => {
		const before = Date.now();
		const created = await call('POST', '/model/v1/generation', envelope({ external_task_id: 'ext-1' }));
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({ code: 0, message: 'SUCCEED', request_id: expect.any(String) });
		const head = created.json.data;
		expect(Object.keys(head).sort()).toEqual(TASK_KEYS);
		expect(head).toMatchObject({ task_status: 'submitted', task_info: { external_task_id: 'ext-1' } });
		expect(head.created_at).toBeGreaterThanOrEqual(before);
		expect(head.created_at).toBeLessThanOrEqual(Date.now());

		await sim.waitFor((task) => task.id === String(head.task_id) && task.status === 'processing');
		const running = await call('GET', `/model/v1/generation/task/${head.task_id}`);
		expect(running.json.data).toMatchObject({ task_status: 'processing', task_status_msg: '' });

		await sim.waitFor((task) => task.id === String(head.task_id) && task.status === 'succeed');
		const done = await call('GET', `/model/v1/generation/task/${head.task_id}`);
		expect(done.json).toMatchObject({ code: 0, message: 'SUCCEED' });
		expect(done.json.request_id).not.toBe(created.json.request_id);
		const data = done.json.data;
		expect(data).toMatchObject({
			task_id: head.task_id,
			task_status: 'succeed',
			created_at: head.created_at,
		});
		expect(Number(data.updated_at)).toBeGreaterThan(Number(head.created_at));
		expect(data).not.toHaveProperty('usage');
		expect(data).not.toHaveProperty('id');
		expect(data).not.toHaveProperty('status');
		const video = data.task_result.videos[0];
		expect(video).toEqual({ id: expect.any(String), url: expect.any(String), duration: '5' });
		const bytes = Buffer.from(await (await fetch(String(video.url))).arrayBuffer());
		expect(bytes.equals(sim.expectedVideo(String(head.task_id)))).toBe(true);
	});

	it('finds tasks only by their real ID: an external task ID is a 404', async () => {
		const created = await call('POST', '/model/v1/generation', envelope({ external_task_id: 'ext-2' }));
		const byExternal = await call('GET', '/model/v1/generation/task/ext-2');
		expect(byExternal.status).toBe(404);
		expect(byExternal.json).toEqual({ code: 404, message: 'task not found', request_id: expect.any(String) });
		const byId = await call('GET', `/model/v1/generation/task/${created.json.data.task_id}`);
		expect(byId.status).toBe(200);
	});

	it('accepts a repeated external task ID as a new task', async () => {
		const first = await call('POST', '/model/v1/generation', envelope({ external_task_id: 'same' }));
		const second = await call('POST', '/model/v1/generation', envelope({ external_task_id: 'same' }));
		expect([first.status, second.status]).toEqual([200, 200]);
		expect(second.json.data.task_id).not.toBe(first.json.data.task_id);
		expect(sim.counters.tasksPerExternalId).toEqual({ same: 2 });
	});

	it('gives a failed task a task_status_msg, and no error object', async () => {
		const created = await call('POST', '/model/v1/generation', envelope({ prompt: 'boom #fail' }));
		const id = String(created.json.data.task_id);
		await sim.waitFor((task) => task.id === id && task.status === 'failed');
		const { data } = (await call('GET', `/model/v1/generation/task/${id}`)).json;
		expect(data).toMatchObject({
			task_status: 'failed',
			task_status_msg: 'generation process failed',
			task_result: { videos: [] },
		});
		expect(data).not.toHaveProperty('error');
	});

	it.each([
		['no key', () => call('POST', '/model/v1/generation', envelope({}), null), 401, 1000],
		['a wrong key', () => call('GET', '/model/v1/generation/task/x', undefined, 'wrong'), 401, 1000],
		['no image', () => call('POST', '/model/v1/generation', envelope({ image: '' })), 400, 8002009001],
		['duration 7', () => call('POST', '/model/v1/generation', envelope({ duration: '7' })), 400, 8002009004],
		['a wrong envelope', () => call('POST', '/model/v1/generation', { model: 'x', input: [] }), 400, 1200],
		['an unknown route', () => call('GET', '/model/v1/tasks'), 404, 404],
		['an unknown task', () => call('GET', '/model/v1/generation/task/task_nope'), 404, 404],
	])('answers %s with {code, message, request_id}', async (_name, send, status, code) => {
		const answer = await send();
		expect(answer.status).toBe(status);
		expect(answer.json).toEqual({ code, message: expect.any(String), request_id: expect.any(String) });
		expect(sim.counters.tasksCreated).toBe(0);
	});

	it("words the injected faults' bodies the Kling way", async () => {
		sim.injectFault('get', { kind: 'status', status: 503 });
		sim.injectFault('get', { kind: 'rate-limit', retryAfterSeconds: 1 });
		sim.injectFault('get', { kind: 'api-error', code: 8002009099 });
		const bodies = [];
		for (let i = 0; i < 3; i++) {
			const answer = await call('GET', '/model/v1/generation/task/x');
			bodies.push([answer.status, answer.json.code, Object.keys(answer.json).sort()]);
		}
		const keys = ['code', 'message', 'request_id'];
		expect(bodies).toEqual([
			[503, 5001, keys],
			[429, 1302, keys],
			[503, 8002009099, keys],
		]);
	});

	it("posts callbacks in Kling's task shape, not wrapped", async () => {
		const receiver = await callbackReceiver();
		const created = await call(
			'POST',
			'/model/v1/generation',
			envelope({ callback_url: receiver.url, external_task_id: 'ext-cb' }),
		);
		await sim.waitForCallbacks(3);
		await receiver.close();
		expect(receiver.bodies.map((body) => body.task_status)).toEqual(['submitted', 'processing', 'succeed']);
		const last = receiver.bodies[2];
		expect(last).not.toHaveProperty('code');
		expect(last).not.toHaveProperty('data');
		expect(last).toMatchObject({
			task_id: created.json.data.task_id,
			task_info: { external_task_id: 'ext-cb' },
			task_status_msg: '',
			task_result: { videos: [{ url: expect.any(String), duration: '5' }] },
		});
		expect(last).toEqual(sim.callbackBody(String(created.json.data.task_id)));
	});
});

describe('price quotes (the pre-charge route)', () => {
	const PRECHARGE = '/model/v1/generation/precharge';

	describe('seed profile', () => {
		useProfile('seed');

		it('prices a create body by its duration, and counts quotes apart from tasks', async () => {
			const five = await call('POST', PRECHARGE, envelope({}));
			const ten = await call('POST', PRECHARGE, envelope({ duration: '10' }));
			expect(five).toMatchObject({
				status: 200,
				json: { status: 'success', data: { cost: '0.35', currency: 'USD', discount: 1 } },
			});
			expect(ten.json.data.cost).toBe('0.7');
			expect(sim.counters.quotes).toEqual({ priced: 2, missed: 0, noRoute: 0 });
			expect(sim.counters.tasksCreated).toBe(0);
			expect(sim.quotes.map((quote) => quote.body)).toEqual([envelope({}), envelope({ duration: '10' })]);
		});

		it("charges a finished task its duration's price", async () => {
			sim.setPrices({ '5': '0.5', '10': '0.9' });
			const created = await call('POST', '/model/v1/generation', envelope({ duration: '10' }));
			const id = String(created.json.id);
			const done = await sim.waitFor((task) => task.id === id && task.status === 'succeed');
			expect(done.usage?.cost).toBe('0.9');
		});

		it('answers a cache miss in miss mode, or for a prompt tagged #nocache', async () => {
			const tagged = await call('POST', PRECHARGE, envelope({ prompt: 'pan #nocache' }));
			expect(tagged.json).toMatchObject({
				status: 'failed',
				data: { cost: null, reason: 'COST_CACHE_MISS' },
			});
			sim.setQuoteMode('miss');
			expect((await call('POST', PRECHARGE, envelope({}))).json.status).toBe('failed');
			expect(sim.counters.quotes).toEqual({ priced: 0, missed: 2, noRoute: 0 });
		});

		it('answers 404 in missing mode; checks the key and the body like a create', async () => {
			expect((await call('POST', PRECHARGE, envelope({}), 'sk-wrong')).status).toBe(401);
			expect((await call('POST', PRECHARGE, envelope({ duration: '7' }))).json.code).toBe(8002009004);
			sim.setQuoteMode('missing');
			expect((await call('POST', PRECHARGE, envelope({}))).status).toBe(404);
			expect(sim.counters.quotes.noRoute).toBe(1);
		});
	});

	describe('strict profile', () => {
		useProfile('strict');

		it("has no such route (Kling's API has none): 404", async () => {
			const answer = await call('POST', PRECHARGE, envelope({}));
			expect(answer.status).toBe(404);
			expect(sim.counters.quotes).toEqual({ priced: 0, missed: 0, noRoute: 1 });
		});
	});
});

describe.each(['seed', 'strict'] as const)('a taken external task ID, %s profile', (profile) => {
	useProfile(profile);
	const create = async (id: string) =>
		await call('POST', '/model/v1/generation', envelope({ external_task_id: id }));

	it('is accepted silently by default: a second task under the same ID', async () => {
		expect((await create('twice')).status).toBe(200);
		expect((await create('twice')).status).toBe(200);
		expect(sim.counters.tasksPerExternalId).toEqual({ twice: 2 });
		expect(sim.counters.refusedAsTaken).toBe(0);
	});

	it("is refused with 409 naming the ID once the simulator refuses taken IDs, and another client's create can come first", async () => {
		sim.setDuplicateExternalIds('refuse');
		expect((await create('once')).status).toBe(200);
		const refused = await create('once');
		expect(refused.status).toBe(409);
		expect(refused.text).toContain('external_task_id once already exists');
		expect((await create('other')).status).toBe(200);
		// `taken-before`: another client creates under the same ID just before this request.
		sim.injectFault('create', { kind: 'taken-before' });
		expect((await create('raced')).status).toBe(409);
		expect(sim.counters.tasksPerExternalId).toEqual({ once: 1, other: 1, raced: 1 });
		expect(sim.counters.refusedAsTaken).toBe(2);
		sim.setDuplicateExternalIds();
		expect((await create('once')).status).toBe(200);
	});
});

describe("the model's spec (the gateway's models route)", () => {
	const SPEC = '/api/v1/skill/models/kirin_v2_1_master_i2v/spec';

	describe.each(['seed', 'strict'] as const)('%s profile', (profile) => {
		useProfile(profile);

		it('serves the spec to anyone, no key needed, and logs whether a key came', async () => {
			const answer = await call('GET', SPEC, undefined, null);
			expect(answer.status).toBe(200);
			expect(answer.json.status).toEqual({ code: 0, message: 'success' });
			const names = (answer.json.data.parameters as unknown as Array<{ name: string }>).map((p) => p.name);
			expect(names).toEqual(
				expect.arrayContaining(['image_tail', 'shot_type', 'camera_control', 'multi_prompt']),
			);
			expect(sim.specRequests).toEqual([{ modelId: 'kirin_v2_1_master_i2v', withAuthorization: false }]);
			expect((await call('GET', '/api/v1/skill/models/other_model/spec', undefined, null)).status).toBe(404);
		});

		it('fails the route while told to', async () => {
			sim.setSpecFailing(true);
			expect((await call('GET', SPEC, undefined, null)).status).toBe(503);
			sim.setSpecFailing(false);
			expect((await call('GET', SPEC, undefined, null)).status).toBe(200);
		});

		it("refuses a create out of the spec's limits, with the profile's bad-request code", async () => {
			const code = profile === 'seed' ? 400 : 1200;
			for (const params of [
				{ shot_type: 'random' },
				{ cfg_scale: 2 },
				{ multi_prompt: Array.from({ length: 7 }, () => ({ index: 1, prompt: 'x' })) },
				{ camera_control: { type: 'spin' } },
				{ multi_prompt: [{ index: 1 }] },
			]) {
				const answer = await call('POST', '/model/v1/generation', envelope(params));
				expect(answer.status).toBe(400);
				expect(answer.json.code).toBe(code);
			}
			expect(sim.counters.tasksCreated).toBe(0);
			const ok = await call(
				'POST',
				'/model/v1/generation',
				envelope({ shot_type: 'intelligence', camera_control: { type: 'simple', config: { zoom: 5 } } }),
			);
			expect(ok.status).toBe(200);
		});

		it('checks image_tail like the image', async () => {
			const small = makePng(200, 200).toString('base64');
			const refused = await call('POST', '/model/v1/generation', envelope({ image_tail: small }));
			expect(refused.status).toBe(400);
			const ok = await call('POST', '/model/v1/generation', envelope({ image_tail: png }));
			expect(ok.status).toBe(200);
		});
	});
});
