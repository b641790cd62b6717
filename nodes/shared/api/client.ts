import type { IDataObject, IHttpRequestMethods, NodeApiError } from 'n8n-workflow';

import type { KirinContext } from '../transport/context';
import type { Failure, Outcome } from '../transport/outcome';
import { originOf, requestJson, type CredentialHeader } from '../transport/request';
import {
	DEFAULT_BACKOFF,
	withRetries,
	type Attempt,
	type BackoffPolicy,
	type Retried,
} from '../transport/retry';
import { readCredentials, redactSecrets, type KirinCredentials } from './credentials';
import { toNodeError } from './errors';
import { unusableAnswer } from './failures';

export interface ClientOptions {
	requestTimeoutMs: number;
	backoff: BackoffPolicy;
	/** The execution's cancel signal: every wait and request stops when it fires. */
	signal?: AbortSignal;
}

/**
 * What one request came to: the value its answer was read as, or why not. `unreadBody` is the
 * body of a 2xx answer the reader could not use, for a caller that can still learn from it.
 */
export type Answer<T> = { ok: true; value: T } | { ok: false; failure: Failure; unreadBody?: unknown };

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
	requestTimeoutMs: 60_000,
	backoff: DEFAULT_BACKOFF,
};

/**
 * The one connection to the Kirin API that both nodes use: the credential, the request
 * settings, and the error a failed exchange becomes. What is asked of the API lives beside it:
 * createOnce.ts (claim, create once), tasks.ts (get, check, find by external task ID), quotes.ts
 * (prices) and download.ts (videos).
 */
export class KirinClient {
	private constructor(
		readonly ctx: KirinContext,
		private readonly credentials: KirinCredentials,
		readonly options: ClientOptions,
	) {}

	/** @param credentials the credential, when the caller has read it already (readCredentials) */
	static async connect(
		ctx: KirinContext,
		options: Partial<ClientOptions> = {},
		credentials?: KirinCredentials,
	): Promise<KirinClient> {
		return new KirinClient(ctx, credentials ?? (await readCredentials(ctx)), {
			...DEFAULT_CLIENT_OPTIONS,
			...options,
		});
	}

	get baseUrl(): string {
		return this.credentials.baseUrl;
	}

	/** The only origin the API key is ever sent to. */
	get origin(): string | null {
		return originOf(this.baseUrl);
	}

	/**
	 * The API key as the Bearer header the API expects (as the credential's `authenticate` says),
	 * bound to the Base URL's origin: the transport adds it to requests to that origin only.
	 */
	get credential(): CredentialHeader | null {
		const origin = this.origin;
		return origin === null ? null : { origin, authorization: `Bearer ${this.credentials.apiKey}` };
	}

	get callbackSecret(): string {
		return this.credentials.callbackSecret;
	}

	/** Removes the API key (and callback secret) from any text that came from outside. */
	redact = (text: string): string => redactSecrets(text, this.credentials);

	/** One authenticated request to an API route, its answer read as JSON. */
	async send(method: IHttpRequestMethods, route: string, body?: IDataObject | Buffer): Promise<Outcome> {
		return await requestJson(
			this.ctx,
			{
				method,
				url: this.baseUrl + route,
				body,
				timeoutMs: this.options.requestTimeoutMs,
				credential: this.credential,
			},
			this.options.signal,
		);
	}

	/**
	 * One request whose answer `read` (from parse.ts) turns into a value; a 2xx answer `read`
	 * cannot use is a failure too (an API error in a 200, or an unreadable body).
	 */
	async ask<T>(
		method: IHttpRequestMethods,
		route: string,
		read: (body: unknown) => T | null,
		body?: IDataObject | Buffer,
	): Promise<Answer<T>> {
		const outcome = await this.send(method, route, body);
		if (outcome.kind !== 'ok') return { ok: false, failure: outcome };
		const value = read(outcome.body);
		if (value !== null) return { ok: true, value };
		return { ok: false, failure: unusableAnswer(outcome.status, outcome.body), unreadBody: outcome.body };
	}

	/** Runs `attempt` under this client's backoff policy and cancel signal. */
	async retrying<T>(attempt: (attemptNumber: number) => Promise<Attempt<T>>): Promise<Retried<T>> {
		return await withRetries(attempt, {
			policy: this.options.backoff,
			signal: this.options.signal,
			node: this.ctx.getNode(),
		});
	}

	/** The error a user sees for a failure, after `attempts` tries, about `taskRef` if any. */
	fail(failure: Failure, attempts: number, itemIndex: number, taskRef?: string): NodeApiError {
		return toNodeError(this.ctx.getNode(), failure, {
			itemIndex,
			taskRef,
			attempts,
			timeoutMs: this.options.requestTimeoutMs,
			baseUrl: this.baseUrl,
			redact: this.redact,
		});
	}
}
