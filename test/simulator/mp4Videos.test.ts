/**
 * The simulator's playable videos (`video: 'mp4'`, the demo's mode): a clip rendered by ffmpeg
 * from the task's own image at the task's duration and 24 fps, served streamed and exactly as
 * `expectedVideo` says; the shipped sample clip instead when ffmpeg is missing or the image is
 * not the simulator's to read. The tests that need ffmpeg run where it is installed
 * (`bash scripts/e2e/install-ffmpeg.sh`, part of the e2e setup); the others run everywhere.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { makePng } from '../fixtures/images';
import { readMp4 } from '../support/mp4';
import { KirinSimulator } from '../simulator';

const KEY = 'sk-sim-mp4';
const HAS_FFMPEG = spawnSync('ffmpeg', ['-version']).status === 0;
const withFfmpeg = HAS_FFMPEG ? it : it.skip;
const CLIPS = path.join(__dirname, 'clips');

let sim: KirinSimulator;
let base: string;
const made: Array<{ taskId: string; source: string; reason?: string; ms: number }> = [];

async function start(options: ConstructorParameters<typeof KirinSimulator>[0] = {}) {
	sim = new KirinSimulator({ apiKey: KEY, queuedMs: 10, generationMs: 20, video: 'mp4', ...options });
	sim.on('video', (event) => made.push(event));
	base = await sim.start({ port: 0, host: '127.0.0.1' });
}
afterEach(async () => {
	made.length = 0;
	await sim?.stop();
});

/** Creates a task, waits for it to complete, downloads its video. */
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
	const done = await sim.waitFor((task) => task.id === id && task.status === 'succeed');
	const download = await fetch((done.output as any)[0].content[0].url);
	expect(download.headers.get('content-type')).toBe('video/mp4');
	const bytes = Buffer.from(await download.arrayBuffer());
	expect(Number(download.headers.get('content-length'))).toBe(bytes.length);
	expect(bytes.equals(sim.expectedVideo(id))).toBe(true);
	return { id, bytes, event: made.find((event) => event.taskId === id)! };
}

describe('playable videos', () => {
	withFfmpeg(
		'renders a base64 image into a 1080p H.264 clip of 5 s at 24 fps, without blocking',
		async () => {
			await start();
			const delay = monitorEventLoopDelay({ resolution: 10 });
			delay.enable();
			const { bytes, event } = await videoFor({ image: makePng(1280, 720).toString('base64') });
			delay.disable();
			expect(event).toMatchObject({ source: 'ffmpeg' });
			expect(readMp4(bytes)).toEqual({
				duration: 5,
				codec: 'avc1',
				width: 1920,
				height: 1080,
				frames: 120,
				fps: 24,
				fastStart: true,
			});
			// ffmpeg ran as a child process: the simulator kept answering while it encoded.
			expect(delay.max / 1e6).toBeLessThan(500);
			console.log(`1080p 5 s clip: ${event.ms} ms, ${bytes.length} bytes`);
		},
	);

	withFfmpeg(
		"fetches its own sample photo by URL and follows a portrait image's shape for 10 s",
		async () => {
			await start({ videoShortSide: 360 });
			const { bytes, event } = await videoFor({ image: `${base}/samples/bag-720x1280.png`, duration: '10' });
			expect(event).toMatchObject({ source: 'ffmpeg' });
			expect(readMp4(bytes)).toMatchObject({ duration: 10, width: 360, height: 640, frames: 240, fps: 24 });
		},
	);

	it('serves the sample clip for an image URL on another host, without fetching it', async () => {
		await start();
		const { bytes, event } = await videoFor({ image: 'http://192.0.2.1/photo.png' });
		expect(event).toMatchObject({ source: 'sample', reason: '192.0.2.1 is not a loopback address' });
		expect(bytes.equals(readFileSync(path.join(CLIPS, 'sample-5s.mp4')))).toBe(true);
	});

	it('serves the sample clip of the task’s duration when there is no ffmpeg', async () => {
		await start({ ffmpeg: path.join(CLIPS, 'no-such-ffmpeg') });
		const { bytes, event } = await videoFor({ image: makePng(640, 480).toString('base64'), duration: '10' });
		expect(event).toMatchObject({ source: 'sample', reason: expect.stringContaining('ENOENT') });
		expect(bytes.equals(readFileSync(path.join(CLIPS, 'sample-10s.mp4')))).toBe(true);
	});

	it.each([
		['sample-5s.mp4', 5],
		['sample-10s.mp4', 10],
	])('ships %s: a small real clip of %i s at 24 fps', (file, seconds) => {
		const bytes = readFileSync(path.join(CLIPS, file));
		expect(bytes.length).toBeLessThan(60 * 1024);
		expect(readMp4(bytes)).toMatchObject({ duration: seconds, codec: 'avc1', fps: 24, frames: seconds * 24 });
	});
});
