import { sleep } from 'n8n-workflow';

import { mapWithConcurrency } from '../../../nodes/shared/concurrency';

describe('mapWithConcurrency', () => {
	it('keeps input order and never exceeds the limit', async () => {
		let running = 0;
		let peak = 0;
		const gates: Array<() => void> = [];
		const result = mapWithConcurrency([5, 1, 4, 2, 3], 2, async (value) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise<void>((resolve) => gates.push(resolve));
			running--;
			return value * 10;
		});
		// Release the waiting work one at a time, in reverse; after each, sleep(0) returns once
		// every pending promise reaction has run, so the released work has reached its next wait.
		while (gates.length > 0 || running > 0) {
			await Promise.resolve();
			gates.pop()?.();
			await sleep(0);
		}
		expect(await result).toEqual([50, 10, 40, 20, 30]);
		expect(peak).toBe(2);
	});
});
