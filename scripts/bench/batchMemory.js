// @ts-check
// B6: the n8n server's memory while one Kirin node creates and waits for videos of a big batch
// of product photos (200 JPEGs of 5 MB), as binary items in filesystem mode. n8n's own Read
// Files node brings the photos in from a folder this bench writes, streaming them into the
// binary data store, so whatever the run holds in memory beyond that is the Kirin node's.
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { makeJpegHeader } = require('../../test/fixtures/images');
const { startStack, Stack } = require('../lib/stack');
const { memory, resetPeak, sampleRss } = require('./processMemory');
const { median } = require('./serverBench');

const MB = 1024 * 1024;
const SAMPLE_MS = 20;

/**
 * A JPEG of exactly `bytes` the node accepts (SOF0 frame of 1600 × 1200, 4:3), its scan data
 * random so nothing compresses it and no two photos are alike. 0xFF would start a marker
 * inside the scan; it is replaced, which leaves the data as good as random.
 * @param {number} bytes
 */
function photo(bytes) {
	const size = { width: 1600, height: 1200 };
	const scan = randomBytes(bytes - makeJpegHeader({ ...size, scan: Buffer.alloc(0) }).length);
	for (let at = scan.indexOf(0xff); at !== -1; at = scan.indexOf(0xff, at + 1)) scan[at] = 0xfe;
	return makeJpegHeader({ ...size, scan });
}

/**
 * Writes `count` photos into `folder`; returns the digests the simulator keeps of each image
 * it is sent (SHA-256 of the base64 the node puts in the request).
 * @param {string} folder @param {number} count @param {number} bytes
 */
function writePhotos(folder, count, bytes) {
	fs.mkdirSync(folder, { recursive: true });
	/** @type {string[]} */
	const digests = [];
	for (let index = 0; index < count; index++) {
		const image = photo(bytes);
		fs.writeFileSync(path.join(folder, `product-${String(index).padStart(3, '0')}.jpg`), image);
		digests.push(`sha256:${createHash('sha256').update(image.toString('base64')).digest('hex')}`);
	}
	return digests;
}

/**
 * Read Files (a folder of JPEGs) → Kirin: Create with Wait for Completion, all defaults but
 * `kirinOptions` (the node's Options, for comparison rows).
 * @param {string} folder @param {Record<string, unknown>} [kirinOptions]
 */
function batchWorkflow(folder, kirinOptions = {}) {
	return {
		name: `B6: ${path.basename(folder)}`,
		nodes: [
			{
				id: 'b6-start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b6-read',
				name: 'Read Photos',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1.1,
				position: [200, 0],
				parameters: { operation: 'read', fileSelector: `${folder}/*.jpg`, options: {} },
			},
			{
				id: 'b6-kirin',
				name: 'Kirin',
				type: 'n8n-nodes-kirin.kirin',
				typeVersion: 1,
				position: [400, 0],
				parameters: {
					operation: 'create',
					imageSource: 'binary',
					binaryPropertyName: 'data',
					prompt: 'The camera slowly circles the product',
					duration: '5',
					waitForCompletion: true,
					options: kirinOptions,
				},
				credentials: { kirinApi: { id: 'x', name: 'Kirin API' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Read Photos', type: 'main', index: 0 }]] },
			'Read Photos': { main: [[{ node: 'Kirin', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * The highest sampled RSS within a node's run, from the execution's own timing.
 * @param {Array<{ at: number, rss: number }>} samples @param {any} execution @param {string} node
 */
function peakDuring(samples, execution, node) {
	const run = execution.data?.resultData?.runData?.[node]?.[0];
	if (!run) return { peak: 0, seconds: 0 };
	const until = run.startTime + run.executionTime;
	const inside = samples.filter((sample) => sample.at >= run.startTime && sample.at <= until);
	return { peak: Math.max(0, ...inside.map((sample) => sample.rss)), seconds: run.executionTime / 1000 };
}

/**
 * One batch run on a warm, settled server: idle RSS, then the peak (the kernel's VmHWM, reset
 * just before; and VmRSS sampled every 20 ms to place it), then checks that every photo reached
 * the API as sent and every video came back.
 * @param {import('../lib/stack').Stack} stack @param {string} folder @param {string[]} digests
 * @param {Record<string, unknown>} kirinOptions
 */
async function measureRun(stack, folder, digests, kirinOptions) {
	const pid = /** @type {number} */ (stack.n8n.pid);
	const workflow = await stack.importWorkflow(batchWorkflow(folder, kirinOptions));
	await new Promise((resolve) => setTimeout(resolve, 3000)); // let earlier garbage settle
	const known = new Set(stack.simulator.tasks().map((task) => task.id));
	const idle = memory(pid, 'VmRSS');
	resetPeak(pid);
	const sampler = sampleRss(pid, SAMPLE_MS);
	const started = Date.now();
	/** @type {Array<{ at: number, rss: number }>} */
	let samples = [];
	const execution = await stack
		.run(workflow.id, 'Start')
		.then((id) => stack.finished(id, 30 * 60_000))
		.catch((error) => {
			samples = sampler.stop();
			const { exitCode, signalCode } = stack.n8n;
			if (exitCode === null && signalCode === null) throw error;
			// Running out of memory is a result here: say so with what was seen until then.
			const peak = Math.max(...samples.map((sample) => sample.rss));
			throw new Error(
				`B6: n8n exited (${exitCode ?? signalCode}) during the run, at RSS ${(peak / MB).toFixed(0)} MB (idle ${(idle / MB).toFixed(0)} MB); its last words:\n${stack.n8nLog.slice(-15).join('\n')}`,
			);
		})
		.finally(() => {
			samples = sampler.stop();
		});
	const seconds = (Date.now() - started) / 1000;
	const peak = Math.max(memory(pid, 'VmHWM'), ...samples.map((sample) => sample.rss));
	if (execution.status !== 'success') {
		throw new Error(`B6 run ended ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error)}`);
	}

	const photos = Stack.output(execution, 'Read Photos');
	const videos = Stack.output(execution, 'Kirin');
	const completed = videos.filter(
		(/** @type {any} */ item) => item.json.status === 'completed' && item.binary?.data,
	);
	if (photos.length !== digests.length || completed.length !== digests.length) {
		throw new Error(`B6: ${photos.length} photos read, ${completed.length} of ${digests.length} videos`);
	}
	const sent = stack.simulator
		.tasks()
		.filter((task) => !known.has(task.id))
		.map((task) => String(stack.simulator.getParams(task.id)?.image));
	if (sent.length !== digests.length || [...sent].sort().join() !== [...digests].sort().join()) {
		throw new Error(
			`B6: the API received ${sent.length} images, not the ${digests.length} photos as written`,
		);
	}
	const kirin = peakDuring(samples, execution, 'Kirin');
	const read = peakDuring(samples, execution, 'Read Photos');
	return {
		idleMb: idle / MB,
		peakMb: peak / MB,
		growthMb: (peak - idle) / MB,
		kirinGrowthMb: (kirin.peak - idle) / MB,
		readGrowthMb: (read.peak - idle) / MB,
		seconds,
		kirinSeconds: kirin.seconds,
		binaryMode: String(photos[0].binary?.data?.id).split(':')[0],
	};
}

/**
 * Runs the workflow once on a single photo, so the nodes' code and n8n's execution machinery
 * are loaded before idle RSS is read.
 * @param {import('../lib/stack').Stack} stack @param {string} folder
 */
async function warmUp(stack, folder) {
	const workflow = await stack.importWorkflow(batchWorkflow(folder));
	const execution = await stack.finished(await stack.run(workflow.id, 'Start'), 120_000);
	if (execution.status !== 'success') throw new Error(`B6 warm-up ended ${execution.status}`);
}

/**
 * B6: `runs` batches of `count` photos of `photoMb` MB, each in a freshly started n8n after a
 * one-photo warm-up; growth is the median run's. The photos are written once; each run is a
 * new execution and so a new set of tasks.
 * @param {{ count?: number, photoMb?: number, runs?: number, kirinOptions?: Record<string, unknown> }} [options]
 */
async function batchMemory(options = {}) {
	const { count = 200, photoMb = 5, runs = 3, kirinOptions = {} } = options;
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-b6-'));
	const warm = path.join(folder, 'warm-up');
	const batch = path.join(folder, 'batch');
	// Written before n8n starts: a gigabyte written synchronously would block this process's
	// event loop, and a kept-alive connection to n8n may close unnoticed meanwhile.
	writePhotos(warm, 1, photoMb * MB);
	const digests = writePhotos(batch, count, photoMb * MB);
	// Short generations and small videos: the photos are what this measures.
	const stack = await startStack({
		simulator: { queuedMs: 200, generationMs: 2800, videoBytes: 64 * 1024, keepImages: false },
		// n8n 2 lets file nodes read only below N8N_RESTRICT_FILE_ACCESS_TO.
		env: { N8N_RESTRICT_FILE_ACCESS_TO: folder },
	}).catch((error) => {
		fs.rmSync(folder, { recursive: true, force: true });
		throw error;
	});
	try {
		const results = [];
		for (let run = 0; run < runs; run++) {
			// Each run on a fresh n8n: one batch's garbage must not count as the next one's idle.
			if (run > 0) await stack.restartN8n();
			await warmUp(stack, warm);
			results.push(await measureRun(stack, batch, digests, kirinOptions));
		}
		const growth = results.map((result) => result.growthMb);
		const middle = results.find((result) => result.growthMb === median(growth)) ?? results[0];
		return { count, photoMb, runs, kirinOptions, ...middle, maxGrowthMb: Math.max(...growth) };
	} finally {
		await stack.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

module.exports = { batchMemory };
