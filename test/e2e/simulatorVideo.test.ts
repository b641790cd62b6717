/**
 * The simulator's playable videos (`video: 'mp4'`, the demo's mode) rendered by Debian's ffmpeg,
 * which the e2e setup installs (scripts/e2e/install-ffmpeg.sh): a clip made from the task's own
 * image at the task's duration and 24 fps, streamed exactly as `expectedVideo` says.
 */
import { makePng } from '../fixtures/images';
import { withLoopDelay } from '../support/eventLoop';
import { printFigure } from '../support/figures';
import { readMp4 } from '../support/mp4';
import { useVideoSimulator } from '../support/videoSimulator';

const { start, videoFor } = useVideoSimulator();

describe('playable videos rendered by ffmpeg', () => {
	it('renders a base64 image into a 1080p H.264 clip of 5 s at 24 fps, without blocking', async () => {
		await start();
		const { result, maxDelayMs } = await withLoopDelay(
			async () => await videoFor({ image: makePng(1280, 720).toString('base64') }),
		);
		const { bytes, event } = result;
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
		expect(maxDelayMs).toBeLessThan(500);
		printFigure(`1080p 5 s clip: ${event.ms} ms, ${bytes.length} bytes`);
	});

	it("fetches its own sample photo by URL and follows a portrait image's shape for 10 s", async () => {
		const base = await start({ videoShortSide: 360 });
		const { bytes, event } = await videoFor({ image: `${base}/samples/bag-720x1280.png`, duration: '10' });
		expect(event).toMatchObject({ source: 'ffmpeg' });
		expect(readMp4(bytes)).toMatchObject({ duration: 10, width: 360, height: 640, frames: 240, fps: 24 });
	});
});
