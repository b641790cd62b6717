// @ts-check
// Commands the tests run as a user would: `npm run dev`, and npm on a developer's laptop.
// Plain JavaScript: n8n's rules for node code, which lint the TypeScript tests, forbid spawning.
const { execFileSync, spawn } = require('node:child_process');

const { ROOT } = require('./files');

/**
 * `node scripts/dev.js ...args` from the repository, with the demo's simulator (no API key).
 * @param {string[]} args
 */
function startDev(args) {
	return spawn(process.execPath, ['scripts/dev.js', ...args], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, KIRIN_API_KEY: '' },
	});
}

/**
 * npm in the repository as on a developer's laptop: no CI variables, no npm_config_* from the
 * test runner, HOME in `home`. Resolves with the exit status and everything printed.
 * @param {string[]} args @param {string} home @param {Record<string, string>} [extraEnv]
 * @returns {Promise<{ status: number | null, output: string }>}
 */
function npmOnALaptop(args, home, extraEnv = {}) {
	const child = spawn('npm', args, {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? '', HOME: home, ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk.toString()));
	child.stderr.on('data', (chunk) => (output += chunk.toString()));
	return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

/**
 * What a player sees in a video: ffprobe (Debian's, from the e2e setup) reads it from stdin and
 * decodes every frame.
 * @param {Buffer} video
 */
function ffprobe(video) {
	const report = JSON.parse(
		execFileSync(
			'ffprobe',
			[
				...['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-of', 'json'],
				...['-show_entries', 'stream=codec_name,width,height,r_frame_rate,nb_read_frames:format=duration'],
				'-',
			],
			{ input: video },
		).toString(),
	);
	const [stream] = report.streams;
	return {
		codec: String(stream.codec_name),
		width: Number(stream.width),
		height: Number(stream.height),
		frameRate: String(stream.r_frame_rate),
		framesDecoded: Number(stream.nb_read_frames),
		duration: Number(report.format.duration),
	};
}

module.exports = { startDev, npmOnALaptop, ffprobe };
