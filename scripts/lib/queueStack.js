// @ts-check
// n8n in queue mode, as users scale out: PostgreSQL and Redis (Debian's, throwaway instances on
// loopback), n8n main, workers (one by default, --concurrency=2) and one webhook processor, all with this
// package and one user folder (so one encryption key), plus the Kirin simulator. Webhooks,
// including the resume URLs of paused executions, point at the webhook processor.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { KirinSimulator } = require('../../test/simulator');
const { N8nSession, startN8n } = require('./n8nServer');
const { postgresForN8n, startRedis, stopChild } = require('./services');
const { freePort, Stack, SIMULATOR_KEY, CALLBACK_SECRET, ensureCredential } = require('./stack');

/** Waits until an n8n process answers on its health endpoint. @param {string} url @param {import('node:child_process').ChildProcess} child @param {string[]} log */
async function healthy(url, child, log) {
	const until = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`n8n process exited (${child.exitCode}):\n${log.slice(-30).join('\n')}`);
		const response = await fetch(url).catch(() => null);
		if (response?.ok) return;
		if (Date.now() > until) throw new Error(`${url} did not answer:\n${log.slice(-30).join('\n')}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** The first worker's log is `worker`, the others' `worker2`, `worker3`, … @param {number} n */
function workerName(n) {
	return n === 0 ? 'worker' : `worker${n + 1}`;
}

/**
 * @param {{ simulator?: import('../../test/simulator/server').SimulatorOptions, workers?: number,
 *   workerConcurrency?: number }} [options]
 */
async function startQueueStack(options = {}) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-queue-'));
	fs.chmodSync(folder, 0o755);
	const workerCount = options.workers ?? 1;
	const [pgPort, redisPort, mainPort, webhookPort, ...workerHealthPorts] = await Promise.all(
		Array.from({ length: 4 + workerCount }, () => freePort()),
	);
	// n8n 2 starts a task runner broker in every process, on 5679 unless told otherwise: each gets its own.
	const brokerPorts = await Promise.all(Array.from({ length: 2 + workerCount }, () => freePort()));
	/** @type {Array<() => Promise<void>>} */
	const services = [];
	/** @type {Array<import('node:child_process').ChildProcess>} */
	const n8nProcesses = [];
	const simulator = new KirinSimulator({ apiKey: SIMULATOR_KEY, ...options.simulator });
	const simulatorUrl = await simulator.start({ port: 0 });
	/** @type {Record<string, string[]>} */
	const logs = {
		main: [],
		webhook: [],
		...Object.fromEntries(workerHealthPorts.map((_, n) => [workerName(n), []])),
	};

	const stopAll = async () => {
		for (const child of n8nProcesses.reverse()) await stopChild(child);
		for (const stop of services.reverse()) await stop();
		await simulator.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	};

	try {
		const postgres = await postgresForN8n(pgPort);
		services.push(postgres.stop);
		const redis = await startRedis(redisPort);
		services.push(() => stopChild(redis));
		const userFolder = path.join(folder, 'n8n');
		const env = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			...postgres.env,
			// Queue mode's prescribed store: every process reads the same binary data.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			N8N_ENCRYPTION_KEY: 'kirin-queue-mode-test-key',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		const launch = (
			/** @type {string} */ name,
			/** @type {number} */ port,
			/** @type {string[]} */ args,
			/** @type {Record<string, string>} */ extra = {},
		) => {
			const child = startN8n({
				userFolder,
				port,
				args,
				packageInstalled: name !== 'main',
				env: { ...env, N8N_RUNNERS_BROKER_PORT: String(brokerPorts.shift()), ...extra },
				log: (line) => {
					logs[name].push(line);
					if (logs[name].length > 500) logs[name].shift();
				},
			});
			n8nProcesses.push(child);
			return child;
		};

		const main = launch('main', mainPort, ['start']);
		const n8nUrl = `http://127.0.0.1:${mainPort}`;
		await healthy(`${n8nUrl}/healthz/readiness`, main, logs.main);
		const workers = workerHealthPorts.map((port, n) =>
			launch(workerName(n), port, ['worker', `--concurrency=${options.workerConcurrency ?? 2}`], {
				QUEUE_HEALTH_CHECK_PORT: String(port),
			}),
		);
		const webhook = launch('webhook', webhookPort, ['webhook']);
		for (const [n, worker] of workers.entries()) {
			await healthy(`http://127.0.0.1:${workerHealthPorts[n]}/healthz`, worker, logs[workerName(n)]);
		}
		await healthy(`http://127.0.0.1:${webhookPort}/healthz`, webhook, logs.webhook);

		const session = await new N8nSession(n8nUrl).ready();
		const credential = await ensureCredential(session, {
			apiKey: SIMULATOR_KEY,
			baseUrl: simulatorUrl,
			callbackSecret: CALLBACK_SECRET,
		});
		const stack = new Stack({
			session,
			n8n: main,
			n8nUrl,
			userFolder,
			simulator,
			simulatorUrl,
			apiBaseUrl: simulatorUrl,
			credential,
			ownsFolder: false,
			n8nLog: logs.main,
			launcher: () => {
				throw new Error('restart is not supported in the queue-mode stack');
			},
		});
		return { stack, webhookUrl: `http://127.0.0.1:${webhookPort}`, logs, stop: stopAll };
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startQueueStack };
