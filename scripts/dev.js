#!/usr/bin/env node
// @ts-check
// `npm run dev`: the package's main job in one command. Builds the package, installs n8n on the
// first run (and Debian's ffmpeg, for playable videos), starts the Kirin simulator and n8n with
// the package, imports the example workflows and the credential, runs the demo once, and prints
// where to log in and where the photo form is.
// KIRIN_API_KEY (and optionally KIRIN_BASE_URL) point the credential at the real API instead.
// Ctrl-C stops everything it started. Each step prints one line with how long it took; what the
// installers print goes to .tmp/logs/ (scripts/lib/steps.js), shown with --verbose.
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { INSTALL, N8N_VERSION, OWNER } = require('./lib/n8nServer');
const { DEMO_N8N_URL, DEMO_SIMULATOR_URL, readExample, startStack, Stack } = require('./lib/stack');
const { runLogged, step, StepFailed } = require('./lib/steps');

const ROOT = path.resolve(__dirname, '..');
const { values } = parseArgs({
	options: {
		port: { type: 'string', default: new URL(DEMO_N8N_URL).port },
		'simulator-port': { type: 'string', default: new URL(DEMO_SIMULATOR_URL).port },
		'user-folder': { type: 'string', default: path.join(ROOT, '.n8n-e2e', 'demo-user') },
		'skip-build': { type: 'boolean', default: false },
		'no-demo-run': { type: 'boolean', default: false },
		verbose: { type: 'boolean', default: false },
		help: { type: 'boolean', default: false },
	},
});

if (values.help) {
	console.log(`Usage: npm run dev -- [--port 5678] [--simulator-port 4010] [--user-folder .n8n-e2e/demo-user]
                      [--skip-build] [--no-demo-run] [--verbose]
Environment: KIRIN_API_KEY=<key> uses the real Kirin API; KIRIN_BASE_URL overrides its address.`);
	process.exit(0);
}

const EXAMPLES = [
	{ file: 'image-to-video.json', demo: true },
	{ file: 'batch-from-urls.json' },
	{ file: 'fire-and-forget-trigger.json', activate: true },
	{ file: 'fire-and-forget-create.json' },
	{ file: 'form-to-video.json', activate: true, form: 'kirin-video' },
];

/** How the simulator made a video, for the user. @param {import('../test/simulator/mp4Videos').MadeEvent | undefined} made */
function madeBy(made) {
	if (!made) return 'The video is not made yet.';
	if (made.source === 'ffmpeg')
		return `The video is a slow zoom into the photo, rendered by ffmpeg in ${(made.ms / 1000).toFixed(1)} s.`;
	return `The video is the sample clip: ${made.reason}.`;
}

async function main() {
	const verbose = values.verbose;
	if (!values['skip-build']) {
		await step('Building the package', () => runLogged('build', 'npm', ['run', 'build'], { verbose }), {
			verbose,
		});
	}
	// The demo runs the 2.x line; KIRIN_N8N_VERSION=1.x tries it on the 1.x line instead.
	const installScript = path.join(ROOT, 'scripts/e2e/install-n8n.sh');
	await step(
		`Installing n8n ${N8N_VERSION} into ${path.relative(ROOT, INSTALL)}/ (once; about 6 minutes the first time)`,
		() => runLogged(`install-n8n-${N8N_VERSION}`, 'bash', [installScript, N8N_VERSION], { verbose }),
		{ verbose, result: (last) => (last.includes('already installed') ? 'already installed' : 'installed') },
	);
	const ffmpeg = await step(
		"Checking ffmpeg (the simulator's videos are made from your photo with it)",
		() =>
			runLogged('install-ffmpeg', 'bash', [path.join(ROOT, 'scripts/e2e/install-ffmpeg.sh')], {
				verbose,
			}).then(
				() => true,
				() => false,
			),
		{ verbose, result: (found) => (found ? 'ready' : 'not available') },
	);
	if (!ffmpeg) {
		console.log('  No ffmpeg (it comes from Debian packages): every video will be the same sample clip.');
	}

	const apiKey = process.env.KIRIN_API_KEY;
	const userFolder = path.resolve(values['user-folder']);
	// A fresh n8n every time: the demo should look the same on every start.
	fs.rmSync(userFolder, { recursive: true, force: true });
	/** @type {Map<string, import('../test/simulator/mp4Videos').MadeEvent>} */
	const videos = new Map();
	const stack = await step(
		apiKey ? 'Starting n8n against the real Kirin API' : 'Starting the Kirin simulator and n8n',
		() =>
			startStack({
				userFolder,
				n8nPort: Number(values.port),
				simulatorPort: Number(values['simulator-port']),
				apiKey,
				apiBaseUrl: process.env.KIRIN_BASE_URL,
				simulator: { queuedMs: 1000, generationMs: 6000, video: 'mp4' },
				log: verbose ? (line) => console.log(`  [n8n] ${line}`) : undefined,
			}),
		{ verbose, result: (started) => `n8n ${N8N_VERSION} at ${started.n8nUrl}` },
	);
	stack.simulator.on('video', (made) => videos.set(made.taskId, made));

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the simulator…');
		await stack.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	stack.n8n.once('exit', (code) => {
		if (stopping) return;
		console.error(
			`n8n stopped unexpectedly (exit ${code}). Last lines:\n${stack.n8nLog.slice(-20).join('\n')}`,
		);
		void stack.stop().then(() => process.exit(1));
	});

	const { demo, formUrl } = await step(
		'Importing the example workflows',
		async () => {
			/** @type {{ id: string, name: string } | undefined} */
			let demo;
			let formUrl = '';
			for (const example of EXAMPLES) {
				const workflow = readExample(example.file, stack);
				const created = await stack.importWorkflow(workflow, { activate: example.activate });
				if (example.demo) demo = { id: created.id, name: workflow.name };
				if (example.form) formUrl = `${stack.n8nUrl}/form/${example.form}`;
			}
			return { demo, formUrl };
		},
		{
			verbose,
			result: () => `${EXAMPLES.length} imported, ${EXAMPLES.filter((e) => e.activate).length} active`,
		},
	);
	if (!demo) throw new Error('no demo workflow');

	if (!values['no-demo-run']) {
		const { id } = demo;
		const execution = await step(
			`Running "${demo.name}" once`,
			async () => await stack.finished(await stack.run(id, 'Start'), 20 * 60_000),
			{ verbose },
		);
		if (execution.status !== 'success') {
			console.log(
				`  The run ended with status ${execution.status}: ${execution.data?.resultData?.error?.message ?? ''}`,
			);
		} else {
			const [item] = Stack.output(execution, 'Kirin');
			const video = item.binary?.video;
			console.log(
				`  Kirin task ${item.json.id}: ${item.json.status}, video ${video?.fileName} (${video?.fileSize})`,
			);
			if (!apiKey) console.log(`  ${madeBy(videos.get(String(item.json.id)))}`);
		}
	}

	console.log(`
Ready.
  Editor:   ${stack.n8nUrl}/workflow/${demo.id}
  Login:    ${OWNER.email} / ${OWNER.password}
  Form:     ${formUrl} (upload a product photo, get its video)
  Kirin:    ${apiKey ? stack.apiBaseUrl : `simulator at ${stack.apiBaseUrl} (set KIRIN_API_KEY to use the real API)`}
Press Ctrl-C to stop.`);
}

main().catch((error) => {
	const message = error instanceof Error ? error.message : String(error);
	console.error(`\nnpm run dev failed: ${message}`);
	if (!(error instanceof StepFailed) && !values.verbose)
		console.error('Run it again with --verbose to see everything.');
	process.exit(1);
});
