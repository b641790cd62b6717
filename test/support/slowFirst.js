// @ts-check
// Jest's order of test files, with the fault matrix's halves first. Jest starts the longest files
// first once it has timed them; on a fresh clone it has not, and orders by file size, which would
// start the two one-line files that run the fault matrix (a minute each) last, after the rest.
const Sequencer = require('@jest/test-sequencer').default;

const SLOWEST = /[\\/]test[\\/]engine[\\/]faultMatrix\w+\.test\.ts$/;

class SlowFirst extends Sequencer {
	/** @param {Parameters<Sequencer['sort']>[0]} tests */
	sort(tests) {
		const sorted = /** @type {typeof tests} */ (super.sort(tests));
		return [
			...sorted.filter((test) => SLOWEST.test(test.path)),
			...sorted.filter((test) => !SLOWEST.test(test.path)),
		];
	}
}

module.exports = SlowFirst;
