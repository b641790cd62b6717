import { DEFAULT_POLL_SCHEDULE, pollInterval } from '../../../../nodes/Kirin/wait/pollTasks';

describe('pollInterval', () => {
	it('grows by half each round up to the maximum', () => {
		expect([0, 1, 2, 3, 4].map((round) => pollInterval(round, DEFAULT_POLL_SCHEDULE))).toEqual([
			3000, 4500, 6750, 10000, 10000,
		]);
	});
});
