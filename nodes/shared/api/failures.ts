import type { Failure } from '../transport/outcome';
import { errorClassOf } from './errorCodes';
import { parseErrorShape, parseTask, type ParsedApiError } from './parse';

/** What a failed exchange means for Kirin: worth retrying, possibly recorded, or an error in a 2xx. */

/** The API's error as its body states it (any of the shapes parse.ts knows), if any. */
export function apiErrorOf(failure: Failure): ParsedApiError | null {
	return failure.kind === 'http-error' ? parseErrorShape(failure.body) : null;
}

/** Would the same request, sent again a little later, likely succeed? */
export function isTransient(failure: Failure): boolean {
	switch (failure.kind) {
		case 'network':
		case 'bad-body':
			return true;
		case 'http-error': {
			const errorClass = errorClassOf(apiErrorOf(failure)?.code);
			if (errorClass === 'transient') return true;
			if (errorClass !== undefined) return false;
			return failure.status === 429 || failure.status >= 500;
		}
		default:
			return false;
	}
}

/**
 * Did a failed create possibly reach the API and record a task? A reset or time-out after
 * sending, a 5xx or an unreadable 2xx all leave that open; a 4xx, a refused connection or a 5xx
 * with a transient code (the API saying it made nothing, come back later) do not.
 */
export function isAmbiguousCreate(failure: Failure): boolean {
	if (failure.kind === 'bad-body') return true;
	if (failure.kind === 'network') return failure.reason !== 'refused' && failure.reason !== 'dns';
	if (failure.kind === 'http-error') {
		return failure.status >= 500 && errorClassOf(apiErrorOf(failure)?.code) !== 'transient';
	}
	return false;
}

/**
 * A 2xx answer that is not a task: an error code in the body (a gateway's envelope), else an
 * unreadable body. A body that is a task is a success even if a gateway put a code beside it.
 */
export function notATask(status: number, body: unknown): Failure {
	const error = parseErrorShape(body);
	if (error?.code && error.code !== 0 && parseTask(body) === null) {
		return { kind: 'http-error', status, body, retryAfterMs: null };
	}
	return { kind: 'bad-body', status };
}
