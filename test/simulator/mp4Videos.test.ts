/**
 * The simulator's playable videos (`video: 'mp4'`, the demo's mode) without an encoder: the
 * shipped sample clips, and when each is served instead of a rendered clip. The rendering with
 * ffmpeg is tested where the e2e setup installs it: test/e2e/simulatorVideo.test.ts.
 */
import { makePng } from '../fixtures/images';
import { readFile, repoPath } from '../support/files';
import { readMp4 } from '../support/mp4';
import { useVideoSimulator } from '../support/videoSimulator';

const clip = (file: string) => readFile(repoPath('test/simulator/clips', file));
const { start, videoFor } = useVideoSimulator();

describe('playable videos', () => {
	it('serves the sample clip for an image URL on another host, without fetching it', async () => {
		await start();
		const { bytes, event } = await videoFor({ image: 'http://192.0.2.1/photo.png' });
		expect(event).toMatchObject({ source: 'sample', reason: '192.0.2.1 is not a loopback address' });
		expect(bytes.equals(clip('sample-5s.mp4'))).toBe(true);
	});

	it('serves the sample clip of the task’s duration when there is no ffmpeg', async () => {
		await start({ ffmpeg: repoPath('test/simulator/clips', 'no-such-ffmpeg') });
		const { bytes, event } = await videoFor({ image: makePng(640, 480).toString('base64'), duration: '10' });
		expect(event).toMatchObject({ source: 'sample', reason: expect.stringContaining('ENOENT') });
		expect(bytes.equals(clip('sample-10s.mp4'))).toBe(true);
	});

	it.each([
		['sample-5s.mp4', 5],
		['sample-10s.mp4', 10],
	])('ships %s: a small real clip of %i s at 24 fps', (file, seconds) => {
		const bytes = clip(file);
		expect(bytes.length).toBeLessThan(60 * 1024);
		expect(readMp4(bytes)).toMatchObject({ duration: seconds, codec: 'avc1', fps: 24, frames: seconds * 24 });
	});
});
