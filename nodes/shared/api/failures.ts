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

/** How APIs word the refusal of a value that must be unique and is in use. */
const TAKEN_WORDS =
	/\b(duplicated?|already (exists?|taken|used|in use|registered)|is taken|conflicts?|unique)\b/i;

/** Whether `message` names `id` as a word of its own (a short ID of the user's is not any digit). */
function names(message: string, id: string): boolean {
	const apart = (char: string | undefined) => char === undefined || !/[\w-]/.test(char);
	for (let at = message.indexOf(id); at >= 0; at = message.indexOf(id, at + 1)) {
		if (apart(message[at - 1]) && apart(message[at + id.length])) return true;
	}
	return false;
}

/**
 * Did the API refuse a create because its external task ID is taken (a task was made under it,
 * by another n8n process or before)? A 409, or an error of no code the table knows whose message
 * names the ID or says it is taken (a duplicate, exists already). A false "yes" costs lookups,
 * never a purchase: the task is then looked up instead of sent again, and the item fails naming
 * the ID (and what Kirin said) if the API does not show it.
 */
export function isTakenExternalId(failure: Failure, externalTaskId: string): boolean {
	if (failure.kind !== 'http-error') return false;
	if (failure.status === 409) return true;
	const api = apiErrorOf(failure);
	if (!api?.message || errorClassOf(api.code) !== undefined) return false;
	return names(api.message, externalTaskId) || TAKEN_WORDS.test(api.message);
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
 * A 2xx answer that is not what was asked for (a task, a price): an error code in the body (a
 * gateway's envelope), else an unreadable body. A body that is a task is a success even if a
 * gateway put a code beside it.
 */
export function unusableAnswer(status: number, body: unknown): Failure {
	const error = parseErrorShape(body);
	if (error?.code && error.code !== 0 && parseTask(body) === null) {
		return { kind: 'http-error', status, body, retryAfterMs: null };
	}
	return { kind: 'bad-body', status };
}
