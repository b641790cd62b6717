#!/usr/bin/env node
// @ts-check
// Runs the Kirin API simulator on its own: `npm run simulator -- --port 4010 --generation-ms 8000`.
const { parseArgs } = require('node:util');

const { KirinSimulator } = require('../test/simulator');

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: process.env.KIRIN_SIM_PORT ?? '4010' },
		host: { type: 'string', default: '127.0.0.1' },
		'api-key': { type: 'string', default: 'sk-demo' },
		'queued-ms': { type: 'string', default: '1000' },
		'generation-ms': { type: 'string', default: '8000' },
		video: { type: 'string', default: 'mp4' },
		'video-bytes': { type: 'string', default: String(1024 * 1024) },
		profile: { type: 'string', default: 'seed' },
		quotes: { type: 'string' },
		help: { type: 'boolean', default: false },
	},
});

if (values.help) {
	console.log(
		'Usage: npm run simulator -- [--port 4010] [--host 127.0.0.1] [--api-key sk-demo] [--queued-ms 1000] [--generation-ms 8000]\n' +
			'                            [--video mp4|bytes] [--video-bytes 1048576] [--profile seed|strict]\n' +
			'                            [--quotes price|miss|missing]\n' +
			"--profile strict answers the way Kling's own API does (test/simulator/profiles.js).\n" +
			'--quotes: the price-quote route answers with a price ($0.35 for 5 s, $0.70 for 10 s; the seed profile),\n' +
			'a cache miss, or 404 (the strict profile). Prompts containing #nocache always get a miss.\n' +
			'Prompts containing #fail end in a failed task (8002009098); #unavailable in 8002009099.\n' +
			"--video mp4 (default) renders each task's image into a playable clip with ffmpeg (a sample clip without it);\n" +
			'--video bytes serves --video-bytes deterministic bytes instead.',
	);
	process.exit(0);
}

async function main() {
	const simulator = new KirinSimulator({
		apiKey: values['api-key'],
		queuedMs: Number(values['queued-ms']),
		generationMs: Number(values['generation-ms']),
		videoBytes: Number(values['video-bytes']),
		profile: /** @type {'seed' | 'strict'} */ (values.profile),
		video: values.video === 'bytes' ? 'bytes' : 'mp4',
	});
	if (values.quotes) simulator.setQuoteMode(/** @type {'price' | 'miss' | 'missing'} */ (values.quotes));
	const baseUrl = await simulator.start({ port: Number(values.port), host: values.host });
	console.log(`Kirin simulator listening on ${baseUrl}`);
	console.log(`API key: ${values['api-key']}   (use both in the Kirin API credential)`);
	simulator.on('task', (task) => console.log(`task ${task.id} → ${task.status}`));
	simulator.on('video', (made) =>
		console.log(
			`video of ${made.taskId}: ${made.source === 'ffmpeg' ? `rendered in ${made.ms} ms` : `sample clip (${made.reason})`}`,
		),
	);
	const stop = async () => {
		await simulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
