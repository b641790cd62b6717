// @ts-check
// One line per step for the scripts a newcomer runs (`npm run dev`): what is being done and how
// long it is taking, instead of the installers' own output (npm's engine warnings, node-gyp's
// compiler lines, apt). That output goes to a log file under .tmp/logs/, named only when a step
// fails, with its last lines. scripts/e2e/steps.sh does the same for the shell scripts.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const LOG_DIR = path.join(ROOT, '.tmp', 'logs');
const TAIL_LINES = 30;

/** `12.3 s`, `5 min 07 s`. @param {number} ms */
function duration(ms) {
	const seconds = ms / 1000;
	if (seconds < 60) return `${seconds.toFixed(1)} s`;
	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** Where a step named `name` writes its output. @param {string} name */
function logFile(name) {
	return path.join(LOG_DIR, `${name}.log`);
}

class StepFailed extends Error {
	/** @param {string} message @param {string} [log] the log file holding the step's output */
	constructor(message, log) {
		super(message);
		this.log = log;
	}
}

/**
 * Runs `work` as one step: prints `▸ label …`, keeps the time it is taking up to date on a
 * terminal, and ends the line with the step's result (what `work` returns, if anything) and how
 * long it took. Failing, it ends the line with "failed after …" and throws on.
 * @template T
 * @param {string} label
 * @param {() => Promise<T>} work
 * @param {{ result?: (value: T) => string | undefined, verbose?: boolean }} [options]
 * @returns {Promise<T>}
 */
async function step(label, work, options = {}) {
	const started = Date.now();
	const tty = Boolean(process.stdout.isTTY) && !options.verbose;
	const head = `▸ ${label} …`;
	process.stdout.write(options.verbose ? `${head}\n` : head);
	const ticker = tty
		? setInterval(() => process.stdout.write(`\r${head} ${duration(Date.now() - started)}`), 1000)
		: undefined;
	const end = (/** @type {string} */ text) => {
		if (ticker) clearInterval(ticker);
		const line = tty ? `\r\x1b[2K${head} ${text}\n` : options.verbose ? `  ${text}\n` : ` ${text}\n`;
		process.stdout.write(line);
	};
	try {
		const value = await work();
		const result = options.result?.(value);
		end(`${result ? `${result} ` : ''}(${duration(Date.now() - started)})`);
		return value;
	} catch (error) {
		end(`failed after ${duration(Date.now() - started)}`);
		throw error;
	}
}

/**
 * Runs a command with its output in the step's log file (or on the terminal with `verbose`), and
 * resolves with the last line it printed, which the install scripts make their result.
 * @param {string} name the log file's name
 * @param {string} command @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, verbose?: boolean }} [options]
 * @returns {Promise<string>}
 */
function runLogged(name, command, args, options = {}) {
	const log = logFile(name);
	fs.mkdirSync(LOG_DIR, { recursive: true });
	const out = options.verbose ? 'inherit' : fs.openSync(log, 'w');
	const child = spawn(command, args, {
		cwd: options.cwd ?? ROOT,
		env: options.env ?? process.env,
		stdio: ['ignore', out, out],
	});
	return new Promise((resolve, reject) => {
		child.once('error', (error) => reject(new StepFailed(`${command} did not start: ${error.message}`)));
		child.once('exit', (code, signal) => {
			if (typeof out === 'number') fs.closeSync(out);
			const lines = options.verbose ? [] : fs.readFileSync(log, 'utf8').trimEnd().split('\n');
			if (code === 0) return resolve(lines.at(-1) ?? '');
			const tail = lines.slice(-TAIL_LINES).map((line) => `  | ${line}`);
			const what = [command, ...args]
				.map((part) => (path.isAbsolute(part) ? path.relative(ROOT, part) : part))
				.join(' ');
			const message = [
				`${what} failed (${signal ?? `exit ${code}`}).`,
				...(options.verbose
					? []
					: [`Its last lines:`, ...tail, `Its whole output: ${path.relative(ROOT, log)}`]),
			].join('\n');
			reject(new StepFailed(message, log));
		});
	});
}

module.exports = { step, runLogged, duration, logFile, StepFailed, LOG_DIR };
