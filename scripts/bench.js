#!/usr/bin/env node
// @ts-check
// `npm run bench`: measures the package on the same work every time, prints a table and writes
// docs/BENCHMARKS.md. `npm run bench -- B1 B4` runs only those. B3, B5 and B6 use the real n8n
// server (scripts/e2e/setup.sh installs it); B1, B1-500, B2 and B7 run through n8n's engine in
// this process. Flags:
//   --before   labels the rows "<id> before" (with the commit of the node code), so the figures
//              of a change's starting point stay in the file beside the rows measured after it;
//   --cap=N    B7 sets the node's maxStatusRequestsPerSecond option to N and holds it to N
//              (without it: the node's default for that option, or 5 while it has none).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

process.env.N8N_USER_FOLDER ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-bench-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
require('./lib/tsRequire');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const only = args.filter((arg) => !arg.startsWith('--')).map((arg) => arg.toUpperCase());
const before = args.includes('--before');
const capArg = args.find((arg) => arg.startsWith('--cap='));
const capOverride = capArg ? Number(capArg.slice('--cap='.length)) : undefined;
if (capOverride !== undefined && !(capOverride > 0))
	throw new Error(`--cap wants a positive number, not ${capArg}`);
const wanted = (/** @type {string} */ id) => only.length === 0 || only.includes(id);

/** @param {number} value @param {number} [digits] */
const fixed = (value, digits = 2) => value.toFixed(digits);

/** @typedef {{ id: string, what: string, figure: string, target: string, met: boolean | null, note?: string, load?: string }} Row */

/** @type {Row[]} */
const rows = [];

/** How long each benchmark of this run took, printed with the table. @type {string[]} */
const durations = [];

/** Runs one benchmark if it was asked for, and notes its time. @param {string} id @param {() => Promise<void>} body */
async function bench(id, body) {
	if (!wanted(id)) return;
	const started = performance.now();
	const loadBefore = os.loadavg()[0];
	const first = rows.length;
	await body();
	durations.push(`${id} ${fixed((performance.now() - started) / 60_000, 1)} min`);
	// Timings taken while other work shares the machine are not final: each row says how busy it was.
	const load = `load ${fixed(loadBefore, 1)}–${fixed(os.loadavg()[0], 1)}`;
	for (const row of rows.slice(first)) row.load = load;
	if (before) {
		for (const row of rows.slice(first)) {
			row.id = `${row.id} before`;
			row.what = `Before (node code as last changed in commit ${nodeCodeVersion()}): ${row.what}`;
		}
	}
}

/** The last commit that changed the node code, marked when the working tree changes it further. */
function nodeCodeVersion() {
	const git = (/** @type {string[]} */ gitArgs) =>
		require('node:child_process').execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8' }).trim();
	const commit = git(['log', '-1', '--format=%h', '--', 'nodes', 'credentials']);
	return git(['status', '--porcelain', '--', 'nodes', 'credentials'])
		? `${commit} with uncommitted changes`
		: commit;
}

async function main() {
	const log = (/** @type {string} */ text) => console.log(text);

	await bench('B1', async () => {
		log('B1: batch scaling (engine, 3 s generation; about 5 minutes)…');
		const { batchScaling } = require('../test/bench/engineBench');
		const b1 = await batchScaling([1, 10, 50], 3);
		const ratio = (/** @type {Record<number, number>} */ times, /** @type {number} */ n) =>
			times[n] / times[1];
		rows.push({
			id: 'B1',
			what: `Create with Wait, ${b1.generationSeconds} s generation, defaults: T(1), T(10), T(50) (median of ${b1.runs})`,
			figure: `${fixed(b1.defaults[1])} s, ${fixed(b1.defaults[10])} s, ${fixed(b1.defaults[50])} s; T(50)/T(1) = ${fixed(ratio(b1.defaults, 50))}, T(10)/T(1) = ${fixed(ratio(b1.defaults, 10))}; peak concurrent tasks at the API: ${b1.peakConcurrentTasks[50]} for N = 50`,
			target: 'T(50)/T(1) ≤ 1.5',
			met: ratio(b1.defaults, 50) <= 1.5,
		});
		rows.push({
			id: 'B1',
			what: 'the same with creates limited to 1 at a time (Concurrency option = 1)',
			figure: `${fixed(b1.oneAtATime[1])} s, ${fixed(b1.oneAtATime[10])} s, ${fixed(b1.oneAtATime[50])} s; T(50)/T(1) = ${fixed(ratio(b1.oneAtATime, 50))}`,
			target: 'comparison',
			met: null,
		});
		// The status budget (5/s by default) alone takes 10 s to see 50 tasks done: the same
		// run without it shows what the rest of the node costs.
		const unlimited = await batchScaling([1, 50], 3, false, { maxStatusRequestsPerSecond: 1000 });
		rows.push({
			id: 'B1',
			what: 'the same with Max Status Checks per Second at 1000 (no budget in the way)',
			figure: `${fixed(unlimited.defaults[1])} s, ${fixed(unlimited.defaults[50])} s; T(50)/T(1) = ${fixed(ratio(unlimited.defaults, 50))}`,
			target: 'comparison',
			met: null,
		});
		rows.push({
			id: 'B1',
			what: 'one item per execution, one after another (how a one-at-a-time node behaves; measured once)',
			figure: `N = 10: ${fixed(b1.sequential[10])} s, N = 50: ${fixed(b1.sequential[50])} s; T(50)/T(1) = ${fixed(b1.sequential[50] / b1.defaults[1])}; ours is ${fixed(b1.sequential[50] / b1.defaults[50], 1)}× faster at N = 50`,
			target: 'comparison',
			met: null,
		});
	});

	await bench('B1-500', async () => {
		log('B1-500: batch scaling at N = 500 (engine, 3 s generation; about 2 minutes)…');
		const { batchScaling } = require('../test/bench/engineBench');
		const big = await batchScaling([1, 500], 3, false);
		const ratio = big.defaults[500] / big.defaults[1];
		rows.push({
			id: 'B1-500',
			what: `Create with Wait, ${big.generationSeconds} s generation, defaults, one execution of 500 items: T(1), T(500) (median of ${big.runs})`,
			figure: `${fixed(big.defaults[1])} s, ${fixed(big.defaults[500])} s; T(500)/T(1) = ${fixed(ratio)}; peak concurrent tasks at the API: ${big.peakConcurrentTasks[500]}`,
			target: 'T(500)/T(1) ≤ 1.5',
			met: ratio <= 1.5,
		});
		// The default budget of status requests (5/s) alone takes 100 s to see 500 tasks done:
		// the same run without that budget shows what the rest of the node costs.
		const unlimited = await batchScaling([1, 500], 3, false, { maxStatusRequestsPerSecond: 1000 });
		const unlimitedRatio = unlimited.defaults[500] / unlimited.defaults[1];
		rows.push({
			id: 'B1-500',
			what: `the same with Max Status Checks per Second at 1000 (no budget in the way)`,
			figure: `${fixed(unlimited.defaults[1])} s, ${fixed(unlimited.defaults[500])} s; T(500)/T(1) = ${fixed(unlimitedRatio)}`,
			target: 'comparison',
			met: null,
		});
	});

	await bench('B2', async () => {
		const { pollingCost } = require('../test/bench/engineBench');
		for (const seconds of [10, 60]) {
			log(`B2: polling cost at ${seconds} s generation…`);
			const b2 = await pollingCost(seconds, 5);
			rows.push({
				id: 'B2',
				what: `polling at defaults, ${seconds} s generation: status requests per task; detection delay (simulator marks completed → node output), ${b2.workflows} executions`,
				figure: `${b2.medianStatusRequests} requests (max ${b2.maxStatusRequests}); delay median ${fixed(b2.medianDetectionDelay)} s (max ${fixed(b2.maxDetectionDelay)} s)`,
				target: seconds === 60 ? '≤ 10 requests; median delay ≤ 5 s' : 'median delay ≤ 5 s',
				met: (seconds !== 60 || b2.maxStatusRequests <= 10) && b2.medianDetectionDelay <= 5,
				note: 'Plus one lookup by external task ID before each create (the never-twice check).',
			});
		}
	});

	await bench('B3', async () => {
		log('B3: memory while n8n downloads a 200 MB video…');
		const { downloadMemory } = require('./bench/serverBench');
		const b3 = await downloadMemory(200, 3);
		rows.push({
			id: 'B3',
			what: `Get Status with download of a ${b3.videoMb} MB video in the real n8n server, binary data mode ${b3.binaryMode}: peak RSS growth over idle RSS (VmHWM after clear_refs), median of ${b3.runs} downloads`,
			figure: `${fixed(b3.growthMb, 1)} MB, max ${fixed(b3.maxGrowthMb, 1)} MB (median run: idle ${fixed(b3.idleMb, 0)} MB, peak ${fixed(b3.peakMb, 0)} MB; ${fixed(b3.seconds, 1)} s, ${fixed(b3.videoMb / b3.seconds, 0)} MB/s)`,
			target: '≤ 64 MB',
			met: b3.growthMb <= 64,
		});
	});

	await bench('B4', async () => {
		log('B4: footprint…');
		const { tarball, loadTime } = require('./bench/footprint');
		const packed = tarball();
		const load = loadTime(15);
		rows.push({
			id: 'B4',
			what: `npm pack tarball (${packed.files} files, ${fixed(packed.unpackedBytes / 1024, 1)} kB unpacked)`,
			figure: `${fixed(packed.bytes / 1024, 1)} kB`,
			target: '≤ 150 kB',
			met: packed.bytes <= 150 * 1024,
		});
		rows.push({
			id: 'B4',
			what: `loading and instantiating every node and credential of dist/ in a fresh Node.js process, after n8n-workflow (median of ${load.runs}; n8n-workflow itself: ${fixed(load.workflowMedianMs, 0)} ms)`,
			figure: `${fixed(load.medianMs, 1)} ms (max ${fixed(load.maxMs, 1)} ms)`,
			target: '≤ 50 ms median',
			met: load.medianMs <= 50,
		});
	});

	await bench('B5', async () => {
		const { triggerThroughput } = require('./bench/serverBench');
		for (const database of /** @type {const} */ (['sqlite', 'postgres'])) {
			const label = database === 'sqlite' ? "SQLite (n8n's default)" : 'PostgreSQL';
			log(
				`B5: Kirin Trigger throughput in the real n8n server on ${label} (3 rounds of 1000 callbacks, 50 at a time)…`,
			);
			const b5 = await triggerThroughput({ database, rounds: 3 });
			const statuses = Object.entries(b5.statuses)
				.map(([status, count]) => `${count} ${status}`)
				.join(', ');
			rows.push({
				id: 'B5',
				what: `n8n on ${label}: ${b5.callbacks} callbacks (${b5.distinct} distinct completed tasks + ${b5.repeats} repeats), ${b5.concurrency} concurrent, verification on, secret required; ${b5.rounds} rounds, each to a fresh trigger (rates and times: median of the rounds; counts: all rounds)`,
				figure: `${fixed(b5.perSecond, 1)} callbacks/s; answer p50 ${fixed(b5.p50, 0)} ms, p99 ${fixed(b5.p99, 0)} ms; non-200 answers: ${b5.non200}; runs started ${b5.accepted} of ${b5.expected} distinct, repeats dropped ${b5.dropped}, executions saved ${b5.executions} (${statuses})${b5.doubled.length ? `; tasks with more than one run: ${b5.doubled.join(', ')}` : ''}`,
				target: 'zero lost; executions = distinct valid deliveries',
				met:
					b5.non200 === 0 &&
					b5.accepted === b5.expected &&
					b5.doubled.length === 0 &&
					b5.executions === b5.expected &&
					b5.succeeded === b5.expected,
			});
			rows.push({
				id: 'B5',
				what: `n8n on ${label}: the same POSTs to n8n's own Webhook node (answers at once, one execution each) in the same server, measured first in each round`,
				figure: `${fixed(b5.baselinePerSecond, 1)} requests/s; p50 ${fixed(b5.baselineP50, 0)} ms, p99 ${fixed(b5.baselineP99, 0)} ms; non-200: ${b5.baselineNon200}; Kirin Trigger / Webhook node throughput = ${fixed(b5.ratio)} (median of the rounds' ratios)`,
				target: 'comparison',
				met: null,
			});
		}
	});

	await bench('B6', async () => {
		log(
			'B6: n8n memory while one Kirin node creates 200 videos from 5 MB photos (real n8n server, 3 runs; about 8 minutes)…',
		);
		const { batchMemory } = require('./bench/batchMemory');
		const b6 = await batchMemory({ count: 200, photoMb: 5, runs: 3 });
		rows.push({
			id: 'B6',
			what: `Create with Wait for Completion, defaults, over ${b6.count} JPEG photos of ${b6.photoMb} MB each, read by n8n's Read Files node (binary data mode ${b6.binaryMode}), in the real n8n server: peak RSS growth of the n8n process over its idle RSS (VmHWM after clear_refs; VmRSS sampled every 20 ms places the peak)${b6.runs > 1 ? `; median of ${b6.runs} runs, each in a freshly started n8n` : ''}`,
			figure: `${fixed(b6.growthMb, 0)} MB${b6.runs > 1 ? ` (max ${fixed(b6.maxGrowthMb, 0)} MB)` : ''}: idle ${fixed(b6.idleMb, 0)} MB, peak ${fixed(b6.peakMb, 0)} MB; highest sample while the Kirin node ran +${fixed(b6.kirinGrowthMb, 0)} MB, while Read Files ran +${fixed(b6.readGrowthMb, 0)} MB; run ${fixed(b6.seconds, 0)} s, Kirin node ${fixed(b6.kirinSeconds, 0)} s`,
			target: '≤ 150 MB',
			met: b6.growthMb <= 150,
		});
		// What each create in flight costs: the same batch with half the concurrency, once.
		const half = await batchMemory({ count: 200, photoMb: 5, runs: 1, kirinOptions: { concurrency: 5 } });
		rows.push({
			id: 'B6',
			what: 'the same with Max Concurrent Requests at 5 (default 10), one run',
			figure: `${fixed(half.growthMb, 0)} MB: idle ${fixed(half.idleMb, 0)} MB, peak ${fixed(half.peakMb, 0)} MB; run ${fixed(half.seconds, 0)} s, Kirin node ${fixed(half.kirinSeconds, 0)} s`,
			target: 'comparison',
			met: null,
		});
	});

	await bench('B7', async () => {
		log(
			'B7: status requests for 500 tasks of 60 s generation in one node (engine; two runs of about 3 minutes)…',
		);
		const { pollingLoad, B7_PROVIDER } = require('../test/bench/pollingLoad');
		// The provider as a real API runs a batch (a limited number of generations at once, times
		// varying), then as issue 13 first put it: all 500 started together, ending together.
		const runs = [
			{ provider: B7_PROVIDER, judged: true },
			{ provider: { slots: 500, jitter: 0 }, judged: false },
		];
		for (const { provider, judged } of runs) {
			const b7 = await pollingLoad(500, 60, capOverride, provider);
			const generating =
				provider.slots >= b7.tasks
					? `all ${b7.tasks} generated at once, each exactly ${b7.generationSeconds} s`
					: `the provider generates ${provider.slots} at a time (the rest queued, oldest first), each ${b7.generationSeconds} s ±${Math.round(provider.jitter * 100)}%`;
			rows.push({
				id: 'B7',
				what: `Create with Wait for Completion over ${b7.tasks} items in one execution, ${generating}, defaults but no download: status requests the simulator saw (by task ID; the busiest second is any 1 s interval), detection delay (task completed at the simulator → the first status answer saying so); cap ${b7.cap}/s (${b7.capSource})`,
				figure: `busiest second: ${b7.peakPerSecond} status requests (${b7.peakAllReadsPerSecond} with the ${b7.lookups} lookups by external task ID before the creates); per task median ${b7.medianPerTask}, mean ${fixed(b7.meanPerTask, 1)}, max ${b7.maxPerTask}; delay median ${fixed(b7.medianDelay, 1)} s (max ${fixed(b7.maxDelay, 1)} s), to the node's output median ${fixed(b7.medianOutputDelay, 1)} s; run ${fixed(b7.seconds, 0)} s. Best median delay any node held to ${b7.cap}/s could reach for these completion times: ${fixed(b7.floorMedianDelay, 1)} s`,
				target: judged
					? `busiest second ≤ ${b7.cap}; ≤ 10 per task (max); median delay ≤ 15 s`
					: 'comparison',
				met: judged ? b7.peakPerSecond <= b7.cap && b7.maxPerTask <= 10 && b7.medianDelay <= 15 : null,
			});
		}
	});

	report();
	process.exit(0);
}

/** When this run started, in UTC: the "measured" column of every row it adds. */
const STARTED = new Date().toISOString().slice(0, 16).replace('T', ' ');

const TABLE_HEAD = ['| id | what | figure | target | met | measured (UTC) |', '|---|---|---|---|---|---|'];

/** @param {Row} row */
const tableLine = (row) =>
	`| ${row.id} | ${row.what} | ${row.figure} | ${row.target} | ${row.met === null ? '–' : row.met ? 'yes' : '**no**'} | ${STARTED}${row.load ? ` (${row.load})` : ''} |`;

/**
 * Prints the table and writes docs/BENCHMARKS.md. A run of some benchmarks keeps the other
 * rows of the previous file, each with the date it was measured.
 */
function report() {
	console.log(`\n${[...TABLE_HEAD, ...rows.map(tableLine)].join('\n')}\n`);
	if (durations.length) console.log(`took: ${durations.join(', ')}`);

	const file = path.join(ROOT, 'docs/BENCHMARKS.md');
	const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	const measuredIds = new Set(rows.map((row) => row.id));
	const idOf = (/** @type {string} */ line) => line.split('|')[1].trim();
	const kept = previous
		.split('\n')
		.filter((line) => /^\| B\d+[^|]* \|/.test(line) && !measuredIds.has(idOf(line)));
	const keptIds = [...new Set(kept.map(idOf))];
	// By benchmark; a change's "before" rows come first, then the rows measured after it.
	const base = (/** @type {string} */ line) => idOf(line).replace(/ before$/, '');
	const isBefore = (/** @type {string} */ line) => (idOf(line).endsWith(' before') ? 0 : 1);
	const lines = [...kept, ...rows.map(tableLine)].sort(
		(a, b) => base(a).localeCompare(base(b), 'en', { numeric: true }) || isBefore(a) - isBefore(b),
	);
	const table = [...TABLE_HEAD, ...lines].join('\n');

	const keptNotes = previous.split('\n').filter((line) => keptIds.some((id) => line.startsWith(`- ${id}: `)));
	const notes = [
		...new Set([...keptNotes, ...rows.filter((row) => row.note).map((row) => `- ${row.id}: ${row.note}`)]),
	].sort();
	const cpus = os.cpus();
	const doc = [
		'# Benchmarks',
		'',
		`Command: \`npm run bench\`${args.length ? ` (this file was last written by \`npm run bench -- ${args.join(' ')}\`)` : ''}.`,
		`Measured on ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${fixed(os.totalmem() / 1024 ** 3, 0)} GB RAM, ${os.type()} ${os.release()}; each row says when (the start of the run that measured it) and, where recorded, the machine's 1-minute load average when its benchmark began and ended (${cpus.length} cores: a load above ${cpus.length} means other work shared the machine and timings are not final).`,
		...(keptIds.length
			? [`Rows ${keptIds.join(', ')} are kept from earlier runs; \`npm run bench\` measures them all again.`]
			: []),
		`Versions: Node.js ${process.version} (engine runs), n8n-core ${require('n8n-core/package.json').version}, n8n-workflow ${require('n8n-workflow/package.json').version}; the server runs are n8n 2.41.1 on Node.js 24.21.0, on SQLite unless a row says otherwise, binary data in filesystem mode, all on loopback with the simulator.`,
		'Every comparison is a ratio of figures measured in the same run.',
		'',
		table,
		'',
		...(notes.length ? ['Notes:', '', ...notes, ''] : []),
	].join('\n');
	// A hand-written analysis of misses ("## Misses…") survives regeneration; review it after a run.
	const analysis = previous.indexOf('\n## Misses');
	fs.writeFileSync(file, analysis === -1 ? doc : `${doc}${previous.slice(analysis)}`);
	console.log('written to docs/BENCHMARKS.md');
}

main().catch((error) => {
	console.error(error);
	// Keep what was measured before the failure; the failed figure is missing from the table.
	if (rows.length) report();
	process.exit(1);
});
