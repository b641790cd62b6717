import { makePng } from '../fixtures/images';
import { KirinSimulator } from '../simulator';
import { startImpostor } from '../support/impostors';

const KEY = 'sk-sim-test';
const png = makePng(640, 480).toString('base64');
let sim: KirinSimulator;
let base: string;

beforeEach(async () => {
	sim = new KirinSimulator({ apiKey: KEY, queuedMs: 10, generationMs: 40, videoBytes: 200_000 });
	base = await sim.start({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => await sim.stop());

function envelope(params: Record<string, unknown>) {
	return {
		model: 'kirin_v2_1_master_i2v',
		input: [{ params: { image: png, prompt: 'a pan', duration: '5', ...params } }],
	};
}

/** What the simulator answered when it answered JSON (tasks and errors). */
interface ApiJson {
	id: string;
	[field: string]: unknown;
}

async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
	const response = await fetch(base + path, {
		method,
		headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: ApiJson | undefined;
	try {
		json = JSON.parse(text) as ApiJson;
	} catch {
		json = undefined; // not JSON: the test reads `text`
	}
	return { status: response.status, json, text, headers: response.headers };
}

describe('the simulator', () => {
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
		const done = await sim.waitFor((task) => task.id === created.json!.id && task.status === 'succeed');
		const url = (done.output as Array<{ content: Array<{ url: string }> }>)[0].content[0].url;
		const byExternal = await call('GET', '/model/v1/generation/task/ext-1');
		expect(byExternal.json).toMatchObject({
			id: created.json!.id,
			status: 'succeed',
			usage: { cost: '0.35' },
		});
		const video = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(video.equals(sim.expectedVideo(created.json!.id))).toBe(true);
		expect(video.length).toBe(200_000);
		expect(sim.counters.tasksPerExternalId).toEqual({ 'ext-1': 1 });
		expect((await call('GET', '/model/v1/generation/task/nope')).status).toBe(404);
	});

	it('fails tasks on request', async () => {
		const created = await call('POST', '/model/v1/generation', envelope({ prompt: 'boom #fail' }));
		const failed = await sim.waitFor((task) => task.id === created.json!.id && task.status === 'failed');
		expect(failed.error).toEqual({ code: 8002009098, error_message: 'generation process failed' });
	});

	it('posts the task to the callback URL on every status change', async () => {
		const receiver = await startImpostor({ status: 200, body: 'ok' });
		await call('POST', '/model/v1/generation', envelope({ callback_url: `${receiver.url}/cb` }));
		const deliveries = await sim.waitForCallbacks(3);
		expect(deliveries.map((delivery) => delivery.httpStatus)).toEqual([200, 200, 200]);
		expect(receiver.requests.map((request) => JSON.parse(request.body).status)).toEqual([
			'pending',
			'in_progress',
			'succeed',
		]);
		await receiver.stop();
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
		await Promise.all([1, 2, 3].map(() => call('POST', '/model/v1/generation', envelope({}))));
		expect(sim.counters.peakConcurrentTasks).toBe(3);
		await sim.waitFor(() => sim.counters.activeTasks === 0);
	});
});
