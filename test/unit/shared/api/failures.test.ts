import { isAmbiguousCreate, isTakenExternalId, isTransient } from '../../../../nodes/shared/api/failures';
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

describe('a create refused because its external task ID is taken', () => {
	const said = (status: number, body: unknown): Failure => ({
		kind: 'http-error',
		status,
		body,
		retryAfterMs: null,
	});
	const id = 'n8n-0123456789abcdef0123456789abcdef';

	it.each([
		['a 409, whatever it says', said(409, { code: 409, message: 'conflict' }), true],
		['a 409 with no body', said(409, undefined), true],
		['a 400 naming the ID', said(400, { code: 1200, message: `task ${id} exists` }), true],
		[
			'a 400 saying the ID is a duplicate',
			said(400, { code: 1201, message: 'Duplicate external_task_id' }),
			true,
		],
		['a 422 saying it exists already', said(422, { message: 'external_task_id already exists' }), true],
		['a plain-text 400 saying it must be unique', said(400, 'external_task_id must be unique'), true],
		[
			'a 2xx envelope with an error code saying it is taken',
			said(200, { code: 1201, msg: 'id is taken' }),
			true,
		],
		['a 400 about something else', said(400, { code: 1200, message: 'prompt too long' }), false],
		['a 400 saying a model does not exist', said(400, { message: 'model does not exist' }), false],
		[
			'a known bad-input code naming the ID',
			said(400, { code: 8002009002, message: `${id}: bad image` }),
			false,
		],
		['a 404', said(404, { code: 404, message: 'no such route' }), false],
		['a reset', { kind: 'network', reason: 'reset' } as Failure, false],
	])('%s: %p', (_, failure, taken) => {
		expect(isTakenExternalId(failure, id)).toBe(taken);
	});

	it("names a short ID of the user's only as a word of its own", () => {
		expect(isTakenExternalId(said(400, { message: 'order 7 is in the system' }), '7')).toBe(true);
		expect(isTakenExternalId(said(400, { message: 'duration 7s invalid, 17 allowed' }), '7')).toBe(false);
		expect(isTakenExternalId(said(400, { message: 'sku-7-b invalid' }), 'sku-7')).toBe(false);
	});
});
