// @ts-check
// Debian's PostgreSQL and Redis as throwaway instances on loopback, for queue mode and for
// benchmarks on n8n's production database. Installed by scripts/e2e/install-queue-services.sh.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

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

/**
 * A throwaway PostgreSQL for n8n: the environment that points n8n at it, and a stop that
 * removes it. Durability is off (fsync=off): it holds test data only.
 * @param {number} port
 */
async function postgresForN8n(port) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-pg-'));
	fs.chmodSync(folder, 0o755);
	const child = await startPostgres(folder, port).catch((error) => {
		fs.rmSync(folder, { recursive: true, force: true });
		throw error;
	});
	return {
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
		},
		async stop() {
			await stopChild(child);
			fs.rmSync(folder, { recursive: true, force: true });
		},
	};
}

module.exports = { postgresForN8n, startRedis, stopChild };
