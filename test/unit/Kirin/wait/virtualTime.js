// @ts-check
// Virtual time for the wait's unit tests. Plain JavaScript: n8n's rules for node code, which lint
// the TypeScript tests, keep setImmediate out of TypeScript (as test/support/eventLoop.js does).

/**
 * A clock (`now`) and a pause (`sleep`) to hand to waitForTasks, and timers for a fake API's
 * answers. `run` lets every promise settle, then jumps to the next timer, so minutes of waiting
 * take milliseconds and every time is exact.
 */
class VirtualTime {
	constructor() {
		this.now = 0;
		/** @type {Array<{ at: number, seq: number, fire: () => void }>} */
		this.timers = [];
		this.seq = 0;
		/** @param {number} ms @returns {Promise<void>} */
		this.sleep = (ms) =>
			new Promise((resolve) => {
				this.timers.push({ at: this.now + Math.max(0, ms), seq: this.seq++, fire: resolve });
			});
	}

	/**
	 * Advances time until `work` settles; throws if it waits on nothing, or past an hour.
	 * @template T @param {Promise<T>} work @returns {Promise<T>}
	 */
	async run(work) {
		let settled = false;
		work.then(
			() => (settled = true),
			() => (settled = true),
		);
		for (;;) {
			// A whole turn of the event loop: every promise chain started so far has settled.
			await new Promise((resolve) => setImmediate(resolve));
			if (settled) return await work;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift();
			if (next === undefined || next.at > 3_600_000) throw new Error('the wait stalled');
			this.now = Math.max(this.now, next.at);
			next.fire();
		}
	}
}

module.exports = { VirtualTime };
