import { parseRetryAfter } from '../../../../nodes/shared/transport/outcome';

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
