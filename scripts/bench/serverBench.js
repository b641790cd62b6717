// @ts-check
// Benchmarks that need the real n8n server: B3 (memory during a 200 MB video download, binary
// data in filesystem mode) and B5 (Kirin Trigger throughput with verification on).
const { postgresForN8n } = require('../lib/services');
const { CALLBACK_SECRET, freePort, startStack, Stack } = require('../lib/stack');
const { memory, resetPeak } = require('./processMemory');

const MB = 1024 * 1024;

/** @param {string} taskId */
function getStatusWorkflow(taskId) {
	return {
		name: 'B3: Get Status with download',
		nodes: [
			{
				id: 'b3-start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b3-kirin',
				name: 'Kirin',
				type: 'n8n-nodes-kirin.kirin',
				typeVersion: 1,
				position: [200, 0],
				parameters: {
					operation: 'getStatus',
					lookUpBy: 'id',
					taskId,
					download: true,
					binaryPropertyOutput: 'video',
					options: {},
				},
				credentials: { kirinApi: { id: 'x', name: 'Kirin API' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Kirin', type: 'main', index: 0 }]] } },
	};
}

/**
 * B3: n8n's peak RSS growth over its idle RSS while Get Status downloads a 200 MB video, for
 * each of `runs` downloads in one server. The kernel's own peak (VmHWM, reset through
 * /proc/<pid>/clear_refs) sees every spike.
 */
async function downloadMemory(videoMb = 200, runs = 3) {
	const stack = await startStack({ simulator: { queuedMs: 10, generationMs: 10, videoBytes: MB } });
	try {
		const pid = /** @type {number} */ (stack.n8n.pid);
		// Warm up: the first run loads the node code and n8n's execution machinery.
		const warm = await stack.importWorkflow(getStatusWorkflow(await stack.createTaskAtApi('completed')));
		const warmRun = await stack.finished(await stack.run(warm.id, 'Start'));
		if (warmRun.status !== 'success') throw new Error('B3 warm-up failed');

		stack.simulator.videoSize = videoMb * MB;
		const results = [];
		for (let run = 0; run < runs; run++) {
			const taskId = await stack.createTaskAtApi('completed');
			const workflow = await stack.importWorkflow(getStatusWorkflow(taskId));
			await new Promise((resolve) => setTimeout(resolve, 2000)); // let the import's garbage settle
			const idle = memory(pid, 'VmRSS');
			resetPeak(pid);
			const started = performance.now();
			const execution = await stack.finished(await stack.run(workflow.id, 'Start'), 300_000);
			const seconds = (performance.now() - started) / 1000;
			const peak = memory(pid, 'VmHWM');
			if (execution.status !== 'success') throw new Error(`B3 run ended ${execution.status}`);
			const [item] = Stack.output(execution, 'Kirin');
			const video = item.binary?.video;
			const stored = await stack.binary(video);
			if (stored.length !== videoMb * MB || !stored.equals(stack.simulator.expectedVideo(taskId))) {
				throw new Error(`B3: stored video differs (${stored.length} bytes)`);
			}
			results.push({
				idleMb: idle / MB,
				peakMb: peak / MB,
				growthMb: (peak - idle) / MB,
				seconds,
				binaryMode: String(video.id).split(':')[0],
			});
		}
		const growth = results.map((result) => result.growthMb);
		const middle = results.find((result) => result.growthMb === median(growth)) ?? results[0];
		return { videoMb, runs, ...middle, maxGrowthMb: Math.max(...growth) };
	} finally {
		await stack.stop();
	}
}

/** @param {number[]} values @param {number} q 0..1 */
function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The middle value; for an even count the upper of the two, so always a measured value. */
const median = (/** @type {number[]} */ values) => quantile(values, 0.5);

/**
 * Posts `bodies` to `url`, `concurrency` at a time; each answer's time, status and parsed body.
 * @param {string} url @param {unknown[]} bodies @param {number} concurrency
 */
async function fire(url, bodies, concurrency) {
	/** @type {Array<{ ms: number, status: number, body: any }>} */
	const answers = [];
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < bodies.length) {
				const body = bodies[next++];
				const sent = performance.now();
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				}).catch(() => null);
				const parsed = response ? await response.json().catch(() => ({})) : {};
				answers.push({ ms: performance.now() - sent, status: response?.status ?? 0, body: parsed });
			}
		}),
	);
	return { answers, seconds: (performance.now() - started) / 1000 };
}

/**
 * n8n's own Webhook node, answering at once: what the server does per request without us.
 * @param {number} round each round gets its own workflow and path
 */
function baselineWebhook(round) {
	return {
		name: `B5: n8n Webhook node (baseline), round ${round}`,
		nodes: [
			{
				id: 'b5-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `b5b5b5b5-0000-4000-8000-${String(round).padStart(8, '0')}baee`,
				parameters: {
					httpMethod: 'POST',
					path: `b5-baseline-${round}`,
					responseMode: 'onReceived',
					options: {},
				},
			},
		],
		connections: {},
	};
}

/** @param {number} round */
function kirinTrigger(round) {
	return {
		name: `B5: Kirin Trigger, round ${round}`,
		nodes: [
			{
				id: 'b5-trigger',
				name: 'Kirin Trigger',
				type: 'n8n-nodes-kirin.kirinTrigger',
				typeVersion: 1.1,
				position: [0, 0],
				webhookId: `b5b5b5b5-0000-4000-8000-${String(round).padStart(12, '0')}`,
				parameters: { events: ['completed', 'failed'], verify: true, requireToken: true, download: false },
				credentials: { kirinApi: { id: 'x', name: 'Kirin API' } },
			},
		],
		connections: {},
	};
}

/**
 * Waits until a workflow has `count` executions and none is still running, or until nothing
 * has changed for two minutes (an execution n8n failed to save never shows up).
 * @param {any} stack @param {string} workflowId @param {number} count
 */
async function settled(stack, workflowId, count) {
	let last = '';
	let changedAt = Date.now();
	/** @type {any[]} */
	let seen = [];
	for (;;) {
		// Under load n8n may answer 503 "Database is not ready" for a moment (its database ping
		// timed out); the executions are still there to count on the next ask.
		const executions = await stack.executions(workflowId).catch((/** @type {any} */ error) => {
			if (error?.status !== 503) throw error;
			return null;
		});
		if (executions === null) {
			if (Date.now() - changedAt > 120_000) return seen;
			await new Promise((resolve) => setTimeout(resolve, 1000));
			continue;
		}
		seen = executions;
		const busy = executions.some((/** @type {any} */ run) => ['new', 'running'].includes(run.status));
		if (executions.length >= count && !busy) return executions;
		const state = executions.map((/** @type {any} */ run) => `${run.id}:${run.status}`).join();
		if (state !== last) [last, changedAt] = [state, Date.now()];
		if (Date.now() - changedAt > 120_000) return executions;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/**
 * One B5 round: `total` callbacks at `concurrency` to a fresh active Kirin Trigger (verification
 * on, secret required), `repeats` of them repeats of earlier ones; first the same bodies to a
 * fresh Webhook node in the same server, its executions left to finish, so the two
 * measurements do not share the server.
 * @param {any} stack @param {number} round @param {number} total @param {number} concurrency @param {number} repeats
 */
async function triggerRound(stack, round, total, concurrency, repeats) {
	const trigger = kirinTrigger(round);
	const created = await stack.importWorkflow(trigger, { activate: true });
	const url = `${stack.triggerUrl(trigger.nodes[0])}?token=${CALLBACK_SECRET}`;

	const distinct = total - repeats;
	/** @type {string[]} */
	const ids = [];
	for (let index = 0; index < distinct; index++) ids.push(await stack.createTaskAtApi('completed'));
	// Repeats follow their originals later in the stream, some while the original is in flight.
	const deliveries = [...ids];
	for (let index = 0; index < repeats; index++) {
		const original = (index * 7) % distinct;
		deliveries.splice(Math.min(deliveries.length, original + 1 + (index % 60)), 0, ids[original]);
	}
	const bodies = deliveries.map((id) => stack.simulator.getTask(id));

	const baselineWorkflow = await stack.importWorkflow(baselineWebhook(round), { activate: true });
	const baseline = await fire(`${stack.n8nUrl}/webhook/b5-baseline-${round}`, bodies, concurrency);
	await settled(stack, baselineWorkflow.id, baseline.answers.length);

	const { answers, seconds } = await fire(url, bodies, concurrency);
	// Every accepted callback becomes one execution; wait for n8n to have saved them all.
	const accepted = answers.filter((answer) => answer.body.started === true).length;
	const dropped = answers.filter((answer) => answer.body.reason === 'already delivered').length;
	const executions = await settled(stack, created.id, accepted);
	// More executions than accepted callbacks would be a doubled run: name its task.
	/** @type {string[]} */
	const doubled = [];
	if (executions.length > accepted) {
		/** @type {Map<string, number>} */
		const runsPerTask = new Map();
		for (const run of executions) {
			const [item] = Stack.output(await stack.execution(run.id), 'Kirin Trigger');
			const taskId = String(item?.json?.id);
			runsPerTask.set(taskId, (runsPerTask.get(taskId) ?? 0) + 1);
		}
		for (const [taskId, runs] of runsPerTask) if (runs > 1) doubled.push(`${taskId} ×${runs}`);
	}
	const times = answers.map((answer) => answer.ms);
	const baselineTimes = baseline.answers.map((answer) => answer.ms);
	const perSecond = answers.length / seconds;
	const baselinePerSecond = baseline.answers.length / baseline.seconds;
	return {
		perSecond,
		p50: quantile(times, 0.5),
		p99: quantile(times, 0.99),
		non200: answers.filter((answer) => answer.status !== 200).length,
		accepted,
		dropped,
		/** @type {string[]} */
		statuses: executions.map((/** @type {any} */ run) => String(run.status)),
		baselinePerSecond,
		baselineP50: quantile(baselineTimes, 0.5),
		baselineP99: quantile(baselineTimes, 0.99),
		baselineNon200: baseline.answers.filter((answer) => answer.status !== 200).length,
		ratio: perSecond / baselinePerSecond,
		doubled,
	};
}

/**
 * B5: rounds of 1000 callbacks at 50 concurrent to an active Kirin Trigger in the real n8n
 * server (900 distinct completed tasks and 100 repeats each), with the Webhook-node baseline
 * in every round. Rates and times are medians over the rounds; counts are totals.
 * @param {{ total?: number, concurrency?: number, repeats?: number, rounds?: number, database?: 'sqlite' | 'postgres' }} [options]
 *   database: n8n's default, or the one it recommends for production
 */
async function triggerThroughput(options = {}) {
	const { total = 1000, concurrency = 50, repeats = 100, rounds = 3, database = 'sqlite' } = options;
	const postgres = database === 'postgres' ? await postgresForN8n(await freePort()) : null;
	const stack = await startStack({
		simulator: { queuedMs: 10, generationMs: 10, videoBytes: 1024 },
		env: postgres?.env,
	}).catch(async (error) => {
		await postgres?.stop();
		throw error;
	});
	try {
		/** @type {Array<Awaited<ReturnType<typeof triggerRound>>>} */
		const results = [];
		for (let round = 1; round <= rounds; round++) {
			results.push(await triggerRound(stack, round, total, concurrency, repeats));
		}
		const mid = (/** @type {(result: (typeof results)[number]) => number} */ pick) =>
			median(results.map(pick));
		const sum = (/** @type {(result: (typeof results)[number]) => number} */ pick) =>
			results.reduce((all, result) => all + pick(result), 0);
		/** @type {Record<string, number>} executions saved, by status, over all rounds */
		const statuses = {};
		for (const status of results.flatMap((result) => result.statuses))
			statuses[status] = (statuses[status] ?? 0) + 1;
		return {
			rounds,
			callbacks: total,
			concurrency,
			distinct: total - repeats,
			repeats,
			perSecond: mid((result) => result.perSecond),
			p50: mid((result) => result.p50),
			p99: mid((result) => result.p99),
			ratio: mid((result) => result.ratio),
			baselinePerSecond: mid((result) => result.baselinePerSecond),
			baselineP50: mid((result) => result.baselineP50),
			baselineP99: mid((result) => result.baselineP99),
			baselineNon200: sum((result) => result.baselineNon200),
			non200: sum((result) => result.non200),
			accepted: sum((result) => result.accepted),
			dropped: sum((result) => result.dropped),
			executions: sum((result) => result.statuses.length),
			succeeded: statuses.success ?? 0,
			expected: rounds * (total - repeats),
			doubled: results.flatMap((result) => result.doubled),
			statuses,
		};
	} finally {
		await stack.stop();
		await postgres?.stop();
	}
}

module.exports = { downloadMemory, triggerThroughput, median };
