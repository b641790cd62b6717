import { createHmac } from 'crypto';

import { NodeApiError, type BinaryHelperFunctions, type IBinaryData, type IDataObject } from 'n8n-workflow';

import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { KirinContext } from './context';
import { describeCode, PROVIDER_UNAVAILABLE_CODE } from './errorCodes';
import { toNodeError, type FailureContext } from './errors';
import { parseErrorShape, parseTask } from './parse';
import { pause } from './pause';
import {
	classifyNetworkError,
	open,
	readOutcome,
	send,
	type OpenStream,
	type Outcome,
	type SendOptions,
} from './transport';
import {
	CREDENTIAL_TYPE,
	DEFAULT_BASE_URL,
	KIRIN_MODEL,
	ROUTES,
	type CreateTaskRequest,
	type KirinTask,
} from './types';

export interface KirinCredentials {
	apiKey: string;
	baseUrl?: string;
	callbackSecret?: string;
}

/** The credential's Base URL without trailing slashes; the public API when left empty. */
export function apiBaseUrl(credentials: Pick<KirinCredentials, 'baseUrl'>): string {
	return (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
}

/** Removes the API key (and callback secret) from any text that came from outside. */
export function redactSecrets(credentials: Partial<KirinCredentials>, text: string): string {
	let result = text;
	for (const secret of [credentials.apiKey, credentials.callbackSecret]) {
		if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
	}
	return result;
}

export interface ClientOptions {
	requestTimeoutMs: number;
	backoff: BackoffPolicy;
	/** The execution's cancel signal: every wait and request stops when it fires. */
	signal?: AbortSignal;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
	requestTimeoutMs: 60_000,
	backoff: DEFAULT_BACKOFF,
};

/** A Retry-After longer than this is not waited out inside a node run. */
const MAX_RETRY_AFTER_MS = 120_000;

export interface CreateResult {
	task: KirinTask;
	/** True when the task already existed under this external task ID (nothing new was paid for). */
	reused: boolean;
}

type Ok = Extract<Outcome, { kind: 'ok' }>;

/** A failed outcome tagged with how many attempts it took. */
interface Failure {
	outcome: Exclude<Outcome, Ok>;
	attempts: number;
}

/**
 * A 2xx download answered with JSON or text is not the video: a gateway's error envelope
 * (8002009099 arrives this way) or a proxy's page. Stored as an MP4 it would fail far
 * downstream, in YouTube or S3, with nothing pointing back here.
 */
function isNotVideo(stream: OpenStream): boolean {
	const header = stream.headers['content-type'];
	const type = (Array.isArray(header) ? header[0] : (header ?? '')).toLowerCase();
	return type.startsWith('application/json') || type.startsWith('text/');
}

async function notVideoOutcome(stream: OpenStream, signal?: AbortSignal): Promise<Outcome> {
	const outcome = await readOutcome(stream, signal);
	if (outcome.kind !== 'ok') return outcome;
	const api = parseErrorShape(outcome.body);
	return api
		? { kind: 'http-error', status: outcome.status, api, retryAfterMs: null }
		: { kind: 'bad-body', status: outcome.status };
}

function isTransient(outcome: Outcome): boolean {
	switch (outcome.kind) {
		case 'network':
		case 'bad-body':
			return true;
		case 'http-error': {
			const errorClass = describeCode(outcome.api?.code ?? null)?.errorClass;
			if (errorClass === 'transient') return true;
			if (errorClass !== undefined) return false;
			return outcome.status === 429 || outcome.status >= 500;
		}
		default:
			return false;
	}
}

/**
 * Did a failed create possibly reach the API and record a task? A reset or time-out after
 * sending, a 5xx or an unreadable 2xx all leave that open; a 4xx or refused connection do not.
 */
function isAmbiguousCreate(outcome: Outcome): boolean {
	if (outcome.kind === 'bad-body') return true;
	if (outcome.kind === 'network') return outcome.reason !== 'refused' && outcome.reason !== 'dns';
	if (outcome.kind === 'http-error') {
		return outcome.status >= 500 && outcome.api?.code !== PROVIDER_UNAVAILABLE_CODE;
	}
	return false;
}

function sameOrigin(url: string, baseUrl: string): boolean {
	try {
		return new URL(url).origin === new URL(baseUrl).origin;
	} catch {
		return false;
	}
}

/** A body that is a task is a success even if a gateway put an error code beside it. */
function apiErrorInBody(status: number, body: unknown): Outcome | null {
	const error = parseErrorShape(body);
	if (error?.code && error.code !== 0 && parseTask(body) === null) {
		return { kind: 'http-error', status, api: error, retryAfterMs: null };
	}
	return null;
}

/**
 * The one API client of the package: requests, retries, idempotent creates, status
 * normalisation (via parse.ts) and error mapping (via errors.ts). Used by both nodes.
 */
export class KirinClient {
	private constructor(
		private readonly ctx: KirinContext,
		private readonly credentials: KirinCredentials,
		readonly options: ClientOptions,
	) {}

	static async connect(ctx: KirinContext, options: Partial<ClientOptions> = {}): Promise<KirinClient> {
		const credentials = await ctx.getCredentials<KirinCredentials>(CREDENTIAL_TYPE);
		return new KirinClient(ctx, credentials, { ...DEFAULT_CLIENT_OPTIONS, ...options });
	}

	get baseUrl(): string {
		return apiBaseUrl(this.credentials);
	}

	get callbackSecret(): string {
		return this.credentials.callbackSecret ?? '';
	}

	/**
	 * An HMAC of `text` keyed with the API key: a token only holders of this credential can
	 * make, that reveals nothing of the key (it never leaves the client).
	 */
	sign(text: string): string {
		return createHmac('sha256', `kirin-sign:${this.credentials.apiKey}`)
			.update(text)
			.digest('hex')
			.slice(0, 32);
	}

	redact = (text: string): string => redactSecrets(this.credentials, text);

	/** Creates one task, or returns the task already recorded under its external task ID. */
	async createTask(request: CreateTaskRequest, itemIndex: number): Promise<CreateResult> {
		const existing = await this.findReusable(request.externalTaskId, itemIndex);
		if (existing) return { task: existing, reused: true };

		const body = {
			model: KIRIN_MODEL,
			input: [
				{
					params: {
						image: request.image,
						prompt: request.prompt,
						duration: request.duration,
						watermark_info: { enabled: request.watermark },
						...(request.callbackUrl ? { callback_url: request.callbackUrl } : {}),
						external_task_id: request.externalTaskId,
					},
				},
			],
		} satisfies IDataObject;

		const { backoff } = this.options;
		for (let attempt = 1; ; attempt++) {
			const outcome = await this.request({ method: 'POST', url: ROUTES.create, body });
			const task = outcome.kind === 'ok' ? parseTask(outcome.body, request.externalTaskId) : null;
			if (task) {
				this.ctx.logger.debug('Kirin task created', { taskId: task.id, itemIndex });
				return { task, reused: false };
			}
			const failure: Outcome =
				outcome.kind === 'ok'
					? (apiErrorInBody(outcome.status, outcome.body) ?? { kind: 'bad-body', status: outcome.status })
					: outcome;

			if (isAmbiguousCreate(failure)) {
				// The task may exist although we got no answer: asking costs nothing, creating again might.
				const recorded = await this.findReusable(request.externalTaskId, itemIndex);
				if (recorded) return { task: recorded, reused: true };
			}
			if (!isTransient(failure) || attempt > backoff.retries || !(await this.backOff(attempt, failure))) {
				throw this.fail({ outcome: failure as Failure['outcome'], attempts: attempt }, itemIndex);
			}
		}
	}

	/** The task with this ID or external task ID; a NodeApiError if there is none. */
	async getTask(ref: string, itemIndex: number, externalTaskId?: string): Promise<KirinTask> {
		const result = await this.lookUp(ref, itemIndex, externalTaskId);
		if ('task' in result) return result.task;
		throw this.fail(result, itemIndex, ref);
	}

	/** Like getTask, but null when the API does not know the task. */
	async findTask(ref: string, itemIndex: number): Promise<KirinTask | null> {
		const result = await this.lookUp(ref, itemIndex);
		if ('task' in result) return result.task;
		if (result.outcome.kind === 'http-error' && result.outcome.status === 404) return null;
		throw this.fail(result, itemIndex, ref);
	}

	/**
	 * Streams a completed task's video into n8n's binary data store (memory, filesystem or S3,
	 * whatever the instance uses) without holding it whole here. The API key is sent only when
	 * the video lives on the API's own origin.
	 */
	async downloadVideo(task: KirinTask, itemIndex: number): Promise<IBinaryData> {
		if (!task.videoUrl) {
			throw new NodeApiError(
				this.ctx.getNode(),
				{ taskId: task.id, status: task.status },
				{
					message: `Kirin task ${task.id} has no video to download yet (status: ${task.status}): wait until it is completed. [item ${itemIndex}]`,
					itemIndex,
				},
			);
		}
		const url = task.videoUrl;
		const authenticated = sameOrigin(url, this.baseUrl);
		const { backoff, signal } = this.options;
		for (let attempt = 1; ; attempt++) {
			const stream = await open(
				this.ctx,
				{
					method: 'GET',
					url,
					timeoutMs: this.options.requestTimeoutMs,
					authenticated,
					accept: 'video/*, */*',
				},
				signal,
			);
			let failure: Outcome;
			if (stream.kind === 'stream' && stream.status >= 200 && stream.status < 300 && isNotVideo(stream)) {
				failure = await notVideoOutcome(stream, signal);
			} else if (stream.kind === 'stream' && stream.status >= 200 && stream.status < 300) {
				try {
					return await this.ctx.helpers.prepareBinaryData(
						stream.body as unknown as Parameters<BinaryHelperFunctions['prepareBinaryData']>[0],
						`${task.id}.mp4`,
						'video/mp4',
					);
				} catch (error) {
					failure = classifyNetworkError(error, signal);
				}
			} else {
				failure = stream.kind === 'stream' ? await readOutcome(stream, signal) : stream;
			}
			if (!isTransient(failure) || attempt > backoff.retries || !(await this.backOff(attempt, failure))) {
				throw this.fail({ outcome: failure as Failure['outcome'], attempts: attempt }, itemIndex, task.id);
			}
		}
	}

	fail(failure: Failure, itemIndex: number, taskRef?: string): NodeApiError {
		const context: FailureContext = {
			itemIndex,
			taskRef,
			attempts: failure.attempts,
			timeoutMs: this.options.requestTimeoutMs,
			baseUrl: this.baseUrl,
			redact: this.redact,
		};
		return toNodeError(this.ctx.getNode(), failure.outcome, context);
	}

	/** An earlier task under this external ID that is still worth having (not failed). */
	private async findReusable(externalTaskId: string, itemIndex: number): Promise<KirinTask | null> {
		const task = await this.findTask(externalTaskId, itemIndex);
		return task && task.status !== 'failed' && task.status !== 'cancelled' ? task : null;
	}

	/** GET with retries on 429, 5xx, network errors, unreadable bodies and 8002009099. */
	private async lookUp(
		ref: string,
		itemIndex: number,
		externalTaskId?: string,
	): Promise<{ task: KirinTask } | Failure> {
		const { backoff } = this.options;
		for (let attempt = 1; ; attempt++) {
			const outcome = await this.request({ method: 'GET', url: ROUTES.task(ref) });
			if (outcome.kind === 'ok') {
				const task = parseTask(outcome.body, externalTaskId);
				if (task) return { task };
			}
			const failure: Outcome =
				outcome.kind === 'ok'
					? (apiErrorInBody(outcome.status, outcome.body) ?? { kind: 'bad-body', status: outcome.status })
					: outcome;
			if (!isTransient(failure) || attempt > backoff.retries || !(await this.backOff(attempt, failure))) {
				this.ctx.logger.debug('Kirin task lookup failed', { itemIndex, kind: failure.kind, attempt });
				return { outcome: failure as Failure['outcome'], attempts: attempt };
			}
		}
	}

	/** Waits before the next attempt; false when the server asks for a wait too long to honour. */
	private async backOff(attempt: number, failure: Outcome): Promise<boolean> {
		const retryAfterMs = failure.kind === 'http-error' ? failure.retryAfterMs : null;
		if (retryAfterMs !== null && retryAfterMs > MAX_RETRY_AFTER_MS) return false;
		await pause(
			backoffDelay(attempt, this.options.backoff, retryAfterMs),
			this.options.signal,
			this.ctx.getNode(),
		);
		return true;
	}

	private async request(options: Omit<SendOptions, 'timeoutMs' | 'url'> & { url: string }): Promise<Outcome> {
		return await send(
			this.ctx,
			{ ...options, url: this.baseUrl + options.url, timeoutMs: this.options.requestTimeoutMs },
			this.options.signal,
		);
	}
}
