import { isAmbiguousCreate, isTransient } from '../../../../nodes/shared/api/failures';
import type { Failure } from '../../../../nodes/shared/transport/outcome';

function httpError(status: number, code?: number): Failure {
	const body = code === undefined ? { message: 'no code' } : { code, message: 'a code' };
	return { kind: 'http-error', status, body, retryAfterMs: null };
}

describe('what a failure means, by the class errorCodes.ts gives its code', () => {
	it.each([
		['a transient code, even on a 4xx', httpError(400, 8002009099), true],
		['a bad-input code, even on a 5xx', httpError(503, 8002009002), false],
		['a credentials code', httpError(401, 8002009006), false],
		['no code on a 5xx', httpError(502), true],
		['no code on a 429', httpError(429), true],
		['no code on a 4xx', httpError(404), false],
		['an unknown code on a 5xx', httpError(500, 1234), true],
	])('retries %s: %p', (_, failure, retried) => {
		expect(isTransient(failure)).toBe(retried);
	});

	it.each([
		['a 5xx with a transient code: the API made nothing', httpError(503, 8002009099), false],
		['a 5xx with no code', httpError(500), true],
		['a 5xx with another known code', httpError(500, 8002009098), true],
		['a 4xx', httpError(400), false],
		['a refused connection', { kind: 'network', reason: 'refused' } as Failure, false],
		['a reset after sending', { kind: 'network', reason: 'reset' } as Failure, true],
		['an unreadable 2xx', { kind: 'bad-body', status: 200 } as Failure, true],
	])('after a failed create, counts %s as possibly recorded: %p', (_, failure, ambiguous) => {
		expect(isAmbiguousCreate(failure)).toBe(ambiguous);
	});
});
