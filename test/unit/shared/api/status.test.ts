import { normaliseStatus } from '../../../../nodes/shared/api/status';

describe('normaliseStatus', () => {
	it.each([
		['pending', 'queued'],
		['queued', 'queued'],
		['in_queue', 'queued'],
		['submitted', 'queued'],
		['in_progress', 'processing'],
		['processing', 'processing'],
		['completed', 'completed'],
		['succeed', 'completed'],
		['success', 'completed'],
		['done', 'completed'],
		['failed', 'failed'],
		['error', 'failed'],
		['cancelled', 'cancelled'],
		['canceled', 'cancelled'],
		['SUCCEED', 'completed'],
		[' In Progress ', 'processing'],
		['in-queue', 'queued'],
	])('maps %p to %p', (raw, expected) => {
		expect(normaliseStatus(raw)).toBe(expected);
	});

	it('treats an unknown or missing word as still processing, never as final', () => {
		expect(normaliseStatus('teleporting')).toBe('processing');
		expect(normaliseStatus(undefined)).toBe('processing');
		expect(normaliseStatus(42)).toBe('processing');
	});
});
