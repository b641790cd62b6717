import { readTimestamp } from '../../../../nodes/shared/api/parseValues';

// One instant, as APIs write it: 2025-11-24T16:00:00.000Z.
const MS = 1_764_000_000_000;
const ISO = '2025-11-24T16:00:00.000Z';

describe('readTimestamp: a task time in any unit, never a RangeError', () => {
	it.each<[string, unknown]>([
		['seconds', MS / 1000],
		['milliseconds', MS],
		['microseconds', MS * 1000],
		['nanoseconds', MS * 1e6],
		['seconds as a numeric string', String(MS / 1000)],
		['milliseconds as a numeric string', String(MS)],
		['nanoseconds as a numeric string', String(MS * 1e6)],
		['ISO text', ISO],
		['ISO text with an offset', '2025-11-24T17:00:00+01:00'],
	])('reads %s', (_unit, value) => {
		expect(readTimestamp(value)).toBe(ISO);
	});

	it('keeps the fraction of a second given in seconds', () => {
		expect(readTimestamp(MS / 1000 + 0.25)).toBe('2025-11-24T16:00:00.250Z');
	});

	it.each<[string, unknown]>([
		['zero', 0],
		['a negative time', -5],
		['a time past the last JavaScript date', 1e25],
		['Infinity', Infinity],
		['NaN', NaN],
		['text that is no date', 'yesterday-ish'],
		['an empty string', ''],
		['an object', { seconds: 1 }],
		['a boolean', true],
		['null', null],
		['undefined', undefined],
	])('gives null for %s', (_case, value) => {
		expect(readTimestamp(value)).toBeNull();
	});
});
