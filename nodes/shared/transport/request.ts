import type {
	IAllExecuteFunctions,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { parseJson, readCapped, type BodyStream } from './cappedBody';
import { CREDENTIAL_TYPE, type KirinContext } from './context';
import { classifyNetworkError, parseRetryAfter, type NoAnswer, type Outcome } from './outcome';

export interface RequestOptions {
	method: IHttpRequestMethods;
	url: string;
	body?: IDataObject;
	timeoutMs: number;
	/**
	 * Whether n8n adds the credential (the API key). False for URLs outside the API's origin,
	 * such as a CDN serving videos: the key must never travel there.
	 */
	authenticated: boolean;
	accept: string;
}

/** An answer whose body has not been read yet. */
export interface OpenResponse {
	kind: 'stream';
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: BodyStream;
}

interface FullResponse {
	body: BodyStream;
	headers: OpenResponse['headers'];
	statusCode: number;
}

/** Starts a request and hands back the unread response body, or why there was no answer. */
export async function openRequest(
	ctx: KirinContext,
	options: RequestOptions,
	signal?: AbortSignal,
): Promise<OpenResponse | NoAnswer> {
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
		return classifyNetworkError(error, signal);
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
