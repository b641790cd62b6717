// @ts-check
// n8n in queue mode, as users scale out: PostgreSQL and Redis (Debian's, throwaway instances on
// loopback), n8n main, one worker (--concurrency=2) and one webhook processor, all with this
// package and one user folder (so one encryption key), plus the Kirin simulator. Webhooks,
// including the resume URLs of paused executions, point at the webhook processor.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { KirinSimulator } = require('../../test/simulator');
const { N8nSession, startN8n } = require('./n8nServer');
const { freePort, Stack, SIMULATOR_KEY, CALLBACK_SECRET, ensureCredential } = require('./stack');

function postgresBin(/** @type {string} */ name) {
	const root = '/usr/lib/postgresql';
	const [version] = fs.readdirSync(root).sort().reverse();
	return path.join(root, version, 'bin', name);
}

/** Runs a command as the `postgres` user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(/** @type {string} */ command, /** @type {string[]} */ args) {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** @param {string} folder @param {number} port */
async function startPostgres(folder, port) {
	const data = path.join(folder, 'pgdata');
	fs.mkdirSync(data, { recursive: true });
	if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', folder]);
	const [initdb, initArgs] = asPostgres(postgresBin('initdb'), [
		'-D',
		data,
		'-U',
		'n8n',
		'--auth=trust',
		'-E',
		'UTF8',
	]);
	execFileSync(/** @type {string} */ (initdb), /** @type {string[]} */ (initArgs), { stdio: 'ignore' });
	const [bin, args] = asPostgres(postgresBin('postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		folder,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
	]);
	const child = spawn(/** @type {string} */ (bin), /** @type {string[]} */ (args), { stdio: 'ignore' });
	const until = Date.now() + 30_000;
	for (;;) {
		try {
			const [isReady, readyArgs] = asPostgres(postgresBin('pg_isready'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
			]);
			execFileSync(/** @type {string} */ (isReady), /** @type {string[]} */ (readyArgs), { stdio: 'ignore' });
			break;
		} catch {
			if (Date.now() > until) throw new Error('PostgreSQL did not start');
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
	const [createdb, createArgs] = asPostgres(postgresBin('createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'n8n',
		'n8n',
	]);
	execFileSync(/** @type {string} */ (createdb), /** @type {string[]} */ (createArgs), { stdio: 'ignore' });
	return child;
}

/** @param {number} port */
async function startRedis(port) {
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{
			stdio: 'ignore',
		},
	);
	const until = Date.now() + 15_000;
	for (;;) {
		try {
			execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
			return child;
		} catch {
			if (Date.now() > until) throw new Error('Redis did not start');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

/** @param {import('node:child_process').ChildProcess} child */
async function stopChild(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}

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

/**
 * @param {{ simulator?: import('../../test/simulator/server').SimulatorOptions, workerConcurrency?: number }} [options]
 */
async function startQueueStack(options = {}) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-queue-'));
	fs.chmodSync(folder, 0o755);
	const [pgPort, redisPort, mainPort, webhookPort, workerHealthPort] = await Promise.all(
		Array.from({ length: 5 }, () => freePort()),
	);
	/** @type {Array<import('node:child_process').ChildProcess>} */
	const services = [];
	/** @type {Array<import('node:child_process').ChildProcess>} */
	const n8nProcesses = [];
	const simulator = new KirinSimulator({ apiKey: SIMULATOR_KEY, ...options.simulator });
	const simulatorUrl = await simulator.start({ port: 0 });
	/** @type {Record<string, string[]>} */
	const logs = { main: [], worker: [], webhook: [] };

	const stopAll = async () => {
		for (const child of n8nProcesses.reverse()) await stopChild(child);
		for (const child of services.reverse()) await stopChild(child);
		await simulator.stop();
		fs.rmSync(folder, { recursive: true, force: true });
	};

	try {
		services.push(await startPostgres(path.join(folder, 'pg'), pgPort));
		services.push(await startRedis(redisPort));
		const userFolder = path.join(folder, 'n8n');
		const env = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			// Queue mode's prescribed store: every process reads the same binary data.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			N8N_ENCRYPTION_KEY: 'kirin-queue-mode-test-key',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
		const launch = (
			/** @type {keyof typeof logs} */ name,
			/** @type {number} */ port,
			/** @type {string[]} */ args,
			/** @type {Record<string, string>} */ extra = {},
		) => {
			const child = startN8n({
				userFolder,
				port,
				args,
				packageInstalled: name !== 'main',
				env: { ...env, ...extra },
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
		const worker = launch(
			'worker',
			workerHealthPort,
			['worker', `--concurrency=${options.workerConcurrency ?? 2}`],
			{
				QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort),
			},
		);
		const webhook = launch('webhook', webhookPort, ['webhook']);
		await healthy(`http://127.0.0.1:${workerHealthPort}/healthz`, worker, logs.worker);
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
