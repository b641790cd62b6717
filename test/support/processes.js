// @ts-check
// Commands the tests run as a user would: `npm run dev`, and npm on a developer's laptop.
// Plain JavaScript: n8n's rules for node code, which lint the TypeScript tests, forbid spawning.
const { spawn } = require('node:child_process');

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

module.exports = { startDev, npmOnALaptop };
