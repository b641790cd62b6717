// @ts-check
// Renders a playable MP4 from one still image with Debian's ffmpeg: a slow zoom into the
// picture at 24 fps, H.264 in yuv420p (what every browser plays), the moov box up front so
// n8n's binary viewer can start playing before the whole file is read. The simulator uses it
// per task; scripts/make-sample-clips.js uses it once to make the clips shipped as fallback.
const { spawn } = require('node:child_process');
const path = require('node:path');

const FPS = 24;
// How far the camera moves in over the clip: 15 % reads as motion without looking hurried.
const ZOOM = 0.15;
// The fallbacks served when ffmpeg is missing or cannot read the task's image.
const SAMPLE_CLIPS = {
	5: path.join(__dirname, 'clips', 'sample-5s.mp4'),
	10: path.join(__dirname, 'clips', 'sample-10s.mp4'),
};

/**
 * The frame size for an image: like the real model, landscape pictures become 16:9, portrait
 * ones 9:16 and near-square ones 1:1, with `shortSide` pixels on the short side.
 * @param {{ width: number, height: number }} image @param {number} shortSide
 */
function frameSize(image, shortSide) {
	const long = Math.round((shortSide * 16) / 9 / 2) * 2;
	const ratio = image.width / image.height;
	if (ratio >= 1.25) return { width: long, height: shortSide };
	if (ratio <= 0.8) return { width: shortSide, height: long };
	return { width: shortSide, height: shortSide };
}

/**
 * ffmpeg's arguments for one clip.
 * @param {{ input: string, output: string, seconds: number, width: number, height: number,
 *   crf?: number, preset?: string }} clip
 */
function ffmpegArgs(clip) {
	const frames = clip.seconds * FPS;
	const { width, height } = clip;
	const filters = [
		// Fill the frame (cropping what sticks out), at twice the size: zoompan moves in whole
		// pixels, and on a doubled picture those steps are half as visible.
		`scale=${2 * width}:${2 * height}:force_original_aspect_ratio=increase`,
		`crop=${2 * width}:${2 * height}`,
		`zoompan=z='1+${ZOOM}*on/${frames - 1}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2'` +
			`:d=${frames}:s=${width}x${height}:fps=${FPS}`,
		'format=yuv420p',
	];
	return [
		...['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'],
		...['-i', clip.input, '-vf', filters.join(','), '-frames:v', String(frames), '-an'],
		...['-c:v', 'libx264', '-preset', clip.preset ?? 'veryfast', '-crf', String(clip.crf ?? 23)],
		...['-movflags', '+faststart', clip.output],
	];
}

/**
 * Runs ffmpeg without blocking the event loop; rejects on a missing binary, a non-zero exit or
 * when it takes longer than `timeoutMs`.
 * @param {Parameters<typeof ffmpegArgs>[0] & { ffmpeg?: string, timeoutMs?: number,
 *   onSpawn?: (child: import('node:child_process').ChildProcess) => void }} clip
 * @returns {Promise<void>}
 */
function renderClip(clip) {
	return new Promise((resolve, reject) => {
		const child = spawn(clip.ffmpeg ?? 'ffmpeg', ffmpegArgs(clip), { stdio: ['ignore', 'ignore', 'pipe'] });
		clip.onSpawn?.(child);
		let said = '';
		child.stderr?.setEncoding('utf8').on('data', (text) => (said = (said + text).slice(-2000)));
		const timer = setTimeout(() => child.kill('SIGKILL'), clip.timeoutMs ?? 120_000);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve();
			else reject(new Error(`ffmpeg ended with ${signal ?? `exit ${code}`}: ${said.trim()}`));
		});
	});
}

module.exports = { FPS, SAMPLE_CLIPS, frameSize, renderClip };
