import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { parseJson, readCapped, type BodyStream } from './cappedBody';
import type { KirinContext } from './context';
import { classifyNetworkError, parseRetryAfter, type NoAnswer, type Outcome } from './outcome';

export interface RequestOptions {
	method: IHttpRequestMethods;
	url: string;
	/** JSON: an object, or its serialised bytes (a create with its image written in). */
	body?: IDataObject | Buffer;
	timeoutMs: number;
	/**
	 * The credential's header and the one origin that may receive it (e.g.
	 * `https://cloud.vtrix.ai`); null for a request that never carries it. Every hop of a redirect
	 * is checked against the origin, so a video URL that redirects to a CDN or a signed storage
	 * link never takes the key along.
	 */
	credential: CredentialHeader | null;
	accept: string;
}

/**
 * The Authorization header the API client made from the credential it read once
 * (shared/api/client.ts), and the origin it belongs to. n8n's httpRequestWithAuthentication
 * would read and decrypt the credential again on every request (in n8n 2.41 that also sets up
 * an expression isolate): on a busy trigger that doubled n8n's work per callback.
 */
export interface CredentialHeader {
	origin: string;
	authorization: string;
}

/** An answer whose body has not been read yet. */
export interface OpenResponse {
	kind: 'stream';
	/** The URL that gave this answer: the one asked, or the last a redirect led to. */
	url: string;
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: BodyStream;
}

interface FullResponse {
	body: BodyStream;
	headers: OpenResponse['headers'];
	statusCode: number;
}

/** Redirects a GET follows; past this the last redirect is the answer. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The origin of a URL, or null when it has none to compare: not a URL, or an opaque origin
 * (`data:`, `file:`, most schemes other than http(s)), which the URL standard writes as the
 * string "null". That string must never match: two opaque origins are not the same origin, and
 * a Base URL or a redirect with one would otherwise carry the API key to it.
 */
export function originOf(url: string): string | null {
	let origin: string;
	try {
		origin = new URL(url).origin;
	} catch {
		return null;
	}
	return origin === 'null' ? null : origin;
}

/** One HTTP exchange, redirects not followed; the credential is added only when asked. */
async function exchange(
	ctx: KirinContext,
	options: RequestOptions,
	withCredential: boolean,
	signal?: AbortSignal,
): Promise<OpenResponse | NoAnswer> {
	const request: IHttpRequestOptions = {
		method: options.method,
		url: options.url,
		headers: { Accept: options.accept },
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Redirects are followed below, one hop at a time, deciding the credential for each.
		disableFollowRedirect: true,
		timeout: options.timeoutMs,
		abortSignal: signal,
	};
	if (options.body !== undefined) {
		request.body = Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
		request.headers = { ...request.headers, 'Content-Type': 'application/json' };
	}
	// The only place the nodes put the API key on a request (the credential test sends its own).
	if (withCredential && options.credential) {
		request.headers = { ...request.headers, Authorization: options.credential.authorization };
	}
	try {
		const response = (await ctx.helpers.httpRequest(request)) as FullResponse;
		return {
			kind: 'stream',
			url: options.url,
			status: response.statusCode,
			headers: response.headers,
			body: response.body,
		};
	} catch (error) {
		return classifyNetworkError(error, signal);
	}
}

/**
 * Starts a request and hands back the unread response body, or why there was no answer. A GET
 * follows redirects; any other method gets the redirect itself as its answer.
 */
export async function openRequest(
	ctx: KirinContext,
	options: RequestOptions,
	signal?: AbortSignal,
): Promise<OpenResponse | NoAnswer> {
	let url = options.url;
	for (let hop = 0; ; hop++) {
		const withCredential = options.credential !== null && originOf(url) === options.credential.origin;
		const response = await exchange(ctx, { ...options, url }, withCredential, signal);
		const location = response.kind === 'stream' ? response.headers.location : undefined;
		const next = Array.isArray(location) ? location[0] : location;
		if (
			response.kind !== 'stream' ||
			!REDIRECT_STATUSES.has(response.status) ||
			options.method !== 'GET' ||
			!next ||
			hop >= MAX_REDIRECTS
		) {
			return response;
		}
		response.body.destroy?.();
		url = new URL(next, url).toString();
	}
}

/** Reads an opened answer as JSON (up to the size cap) into an Outcome. */
export async function readJsonOutcome(response: OpenResponse, signal?: AbortSignal): Promise<Outcome> {
	let text: string;
	try {
		text = await readCapped(response.body);
	} catch (error) {
		return classifyNetworkError(error, signal);
	}
	const body = parseJson(text);
	const { status } = response;
	if (status >= 200 && status < 300) {
		return body === undefined ? { kind: 'bad-body', status } : { kind: 'ok', status, body };
	}
	return { kind: 'http-error', status, body, retryAfterMs: parseRetryAfter(response.headers['retry-after']) };
}

/** One request whose answer is JSON: opened, then read. */
export async function requestJson(
	ctx: KirinContext,
	options: Omit<RequestOptions, 'accept'>,
	signal?: AbortSignal,
): Promise<Outcome> {
	const response = await openRequest(ctx, { ...options, accept: 'application/json' }, signal);
	return response.kind === 'stream' ? await readJsonOutcome(response, signal) : response;
}
