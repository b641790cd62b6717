import { backoffDelay, DEFAULT_BACKOFF } from '../../../../nodes/shared/transport/retry';

describe('backoffDelay', () => {
	it('doubles per attempt, with jitter in the upper half, up to the cap', () => {
		const low = () => 0;
		const high = () => 1;
		expect([1, 2, 3].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, null, low))).toEqual([
			250, 500, 1000,
		]);
		expect([1, 2, 3].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, null, high))).toEqual([
			500, 1000, 2000,
		]);
		expect(backoffDelay(30, DEFAULT_BACKOFF, null, high)).toBe(DEFAULT_BACKOFF.maxMs);
	});

	it('never waits less than the server asked', () => {
		expect(backoffDelay(1, DEFAULT_BACKOFF, 7_000, () => 0.5)).toBe(7_000);
	});
});
