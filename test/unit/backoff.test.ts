import { backoffDelay, DEFAULT_BACKOFF } from '../../nodes/shared/api/backoff';
import { parseRetryAfter } from '../../nodes/shared/api/transport';
import { pollInterval, DEFAULT_POLL_SCHEDULE } from '../../nodes/shared/api/poll';

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

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(
			parseRetryAfter('Tue, 24 Nov 2026 14:00:10 GMT', Date.parse('Tue, 24 Nov 2026 14:00:00 GMT')),
		).toBe(10_000);
		expect(parseRetryAfter(undefined)).toBeNull();
		expect(parseRetryAfter('soon')).toBeNull();
	});
});

describe('pollInterval', () => {
	it('grows by half each round up to the maximum', () => {
		expect([0, 1, 2, 3, 4].map((round) => pollInterval(round, DEFAULT_POLL_SCHEDULE))).toEqual([
			3000, 4500, 6750, 10000, 10000,
		]);
	});
});
