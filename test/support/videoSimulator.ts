import { KirinSimulator } from '../simulator';

const KEY = 'sk-sim-mp4';

export interface MadeVideo {
	taskId: string;
	source: string;
	reason?: string;
	ms: number;
}

/**
 * A simulator in the demo's video mode (`video: 'mp4'`) per test, and a task made, completed
 * and downloaded through its HTTP API: what the tests of its playable videos share.
 */
export function useVideoSimulator() {
	let sim: KirinSimulator | undefined;
	let base = '';
	const made: MadeVideo[] = [];

	afterEach(async () => {
		made.length = 0;
		await sim?.stop();
	});

	async function start(options: ConstructorParameters<typeof KirinSimulator>[0] = {}): Promise<string> {
		sim = new KirinSimulator({ apiKey: KEY, queuedMs: 10, generationMs: 20, video: 'mp4', ...options });
		sim.on('video', (event: MadeVideo) => made.push(event));
		base = await sim.start({ port: 0, host: '127.0.0.1' });
		return base;
	}

	/** Creates a task with `params`, waits for it to complete, downloads its video. */
	async function videoFor(params: Record<string, unknown>) {
		const response = await fetch(`${base}/model/v1/generation`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'kirin_v2_1_master_i2v',
				input: [{ params: { prompt: 'a slow zoom', duration: '5', ...params } }],
			}),
		});
		const { id } = (await response.json()) as { id: string };
		const done = await sim!.waitFor((task) => task.id === id && task.status === 'succeed');
		const [{ content }] = done.output as Array<{ content: Array<{ url: string }> }>;
		const download = await fetch(content[0].url);
		expect(download.headers.get('content-type')).toBe('video/mp4');
		const bytes = Buffer.from(await download.arrayBuffer());
		expect(Number(download.headers.get('content-length'))).toBe(bytes.length);
		expect(bytes.equals(sim!.expectedVideo(id))).toBe(true);
		return { id, bytes, event: made.find((event) => event.taskId === id)! };
	}

	return { start, videoFor };
}
