/**
 * What one HTTP exchange ended in. The transport never throws for an answer the server gave;
 * the API layer decides per outcome whether to retry, look up, or fail.
 */
export type Outcome =
	| { kind: 'ok'; status: number; body: unknown }
	/** A non-2xx answer; `body` is its JSON (or text) as far as it could be read. */
	| { kind: 'http-error'; status: number; body: unknown; retryAfterMs: number | null }
	/** A 2xx answer whose body is not JSON: a proxy's page, a cut-off answer. */
	| { kind: 'bad-body'; status: number }
	/** No answer: the request may or may not have reached the server. */
	| { kind: 'network'; reason: 'timeout' | 'reset' | 'refused' | 'dns' | 'other' }
	| { kind: 'cancelled' };

export type Failure = Exclude<Outcome, { kind: 'ok' }>;
export type NoAnswer = Extract<Outcome, { kind: 'network' | 'cancelled' }>;

/** `Retry-After` as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | null {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value.trim() === '') return null;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function errorCode(error: unknown): string {
	let current: unknown = error;
	// n8n wraps the HTTP library's error in a NodeApiError; the socket's code sits in `cause`.
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const { code, name } = current as { code?: unknown; name?: unknown };
		if (typeof code === 'string' && code !== '') return code;
		if (name === 'AbortError' || name === 'CanceledError') return 'ERR_CANCELED';
		current = (current as { cause?: unknown }).cause;
	}
	return '';
}

/** A thrown request (no answer at all) as an outcome. */
export function classifyNetworkError(error: unknown, signal?: AbortSignal): NoAnswer {
	if (signal?.aborted) return { kind: 'cancelled' };
	const code = errorCode(error);
	if (code === 'ERR_CANCELED') return { kind: 'cancelled' };
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
		return { kind: 'network', reason: 'timeout' };
	}
	if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_BAD_RESPONSE') {
		return { kind: 'network', reason: 'reset' };
	}
	if (code === 'ECONNREFUSED') return { kind: 'network', reason: 'refused' };
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'network', reason: 'dns' };
	return { kind: 'network', reason: 'other' };
}
