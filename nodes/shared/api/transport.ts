import type {
	IAllExecuteFunctions,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import type { KirinContext } from './context';
import { parseErrorShape, type ParsedApiError } from './parse';
import { CREDENTIAL_TYPE } from './types';

/**
 * What one HTTP exchange with the API ended in. The transport never throws for an answer
 * the API gave; the client decides per outcome whether to retry, look up, or fail.
 */
export type Outcome =
	| { kind: 'ok'; status: number; body: unknown }
	| { kind: 'http-error'; status: number; api: ParsedApiError | null; retryAfterMs: number | null }
	/** A 2xx answer whose body is not JSON: a proxy's page, a cut-off answer. */
	| { kind: 'bad-body'; status: number }
	/** No answer: the request may or may not have reached the API. */
	| { kind: 'network'; reason: 'timeout' | 'reset' | 'refused' | 'dns' | 'other' }
	| { kind: 'cancelled' };

/** Error bodies are read up to this size; a larger body is cut, not buffered whole. */
const MAX_BODY_BYTES = 1024 * 1024;

interface FullResponse {
	body: AsyncIterable<Buffer> & { destroy?: () => void };
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

export interface SendOptions {
	method: IHttpRequestMethods;
	url: string;
	body?: IDataObject;
	timeoutMs: number;
}

/** Reads a streamed body up to `limit` bytes, then drops the rest. */
async function readCapped(stream: FullResponse['body'], limit: number): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		chunks.push(chunk);
		size += chunk.length;
		if (size >= limit) {
			stream.destroy?.();
			break;
		}
	}
	return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

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

export function classifyNetworkError(error: unknown, signal?: AbortSignal): Outcome {
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

export interface OpenStream {
	kind: 'stream';
	status: number;
	headers: FullResponse['headers'];
	body: FullResponse['body'];
}

/**
 * Starts a request and hands back the unread response body. `authenticated: false` is for
 * URLs outside the API's origin (a CDN serving videos): the API key must never travel there.
 */
export async function open(
	ctx: KirinContext,
	options: SendOptions & { authenticated: boolean; accept: string },
	signal?: AbortSignal,
): Promise<OpenStream | Extract<Outcome, { kind: 'network' | 'cancelled' }>> {
	const request: IHttpRequestOptions = {
		method: options.method,
		url: options.url,
		headers: { Accept: options.accept },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: options.timeoutMs,
		abortSignal: signal,
	};
	if (options.body !== undefined) {
		request.body = JSON.stringify(options.body);
		request.headers = { ...request.headers, 'Content-Type': 'application/json' };
	}
	try {
		const response = (await (options.authenticated
			? ctx.helpers.httpRequestWithAuthentication.call(
					// n8n's helper reads the credential and the cancel signal from `this`.
					ctx as unknown as IAllExecuteFunctions,
					CREDENTIAL_TYPE,
					request,
				)
			: ctx.helpers.httpRequest(request))) as FullResponse;
		return { kind: 'stream', status: response.statusCode, headers: response.headers, body: response.body };
	} catch (error) {
		return classifyNetworkError(error, signal) as Extract<Outcome, { kind: 'network' | 'cancelled' }>;
	}
}

/** Reads an answer as JSON, with a size cap, into an Outcome. */
export async function readOutcome(stream: OpenStream, signal?: AbortSignal): Promise<Outcome> {
	let text: string;
	try {
		text = await readCapped(stream.body, MAX_BODY_BYTES);
	} catch (error) {
		return classifyNetworkError(error, signal);
	}
	const body = parseJson(text);
	const { status } = stream;
	if (status >= 200 && status < 300) {
		return body === undefined ? { kind: 'bad-body', status } : { kind: 'ok', status, body };
	}
	return {
		kind: 'http-error',
		status,
		api: parseErrorShape(body),
		retryAfterMs: parseRetryAfter(stream.headers['retry-after']),
	};
}

/** One authenticated request to the API, its answer read as JSON. */
export async function send(ctx: KirinContext, options: SendOptions, signal?: AbortSignal): Promise<Outcome> {
	const stream = await open(ctx, { ...options, authenticated: true, accept: 'application/json' }, signal);
	return stream.kind === 'stream' ? await readOutcome(stream, signal) : stream;
}
