// @ts-check
// The longest the event loop was blocked while some work ran: proof that a child process, not
// the test's own thread, did the heavy part; and waiting for what is queued to run. Plain JavaScript: n8n's rules for node code, which
// lint the TypeScript tests, keep node:perf_hooks out of TypeScript.
const { monitorEventLoopDelay } = require('node:perf_hooks');

/**
 * Runs `work` and returns its result with the longest event-loop delay seen meanwhile (ms).
 * @template T @param {() => Promise<T>} work @returns {Promise<{ result: T, maxDelayMs: number }>}
 */
async function withLoopDelay(work) {
	const delay = monitorEventLoopDelay({ resolution: 10 });
	delay.enable();
	try {
		const result = await work();
		return { result, maxDelayMs: delay.max / 1e6 };
	} finally {
		delay.disable();
	}
}

/** Resolves once everything already queued on the event loop (promise jobs included) has run. */
function drained() {
	return new Promise((resolve) => setImmediate(resolve));
}

module.exports = { withLoopDelay, drained };
