import { NodeApiError, type BinaryHelperFunctions, type IBinaryData } from 'n8n-workflow';

import { classifyNetworkError, type Failure } from '../transport/outcome';
import { openRequest, readJsonOutcome, type OpenResponse } from '../transport/request';
import type { KirinClient } from './client';
import { videoLinkError } from './errors';
import { isTransient } from './failures';
import { parseErrorShape, type KirinTask } from './parse';
import { getTask } from './tasks';

/**
 * A 2xx download answered with JSON or text is not the video: a gateway's error envelope
 * (8002009099 arrives this way) or a proxy's page. Stored as an MP4 it would fail far
 * downstream, in YouTube or S3, with nothing pointing back here.
 */
function isNotVideo(response: OpenResponse): boolean {
	const header = response.headers['content-type'];
	const type = (Array.isArray(header) ? header[0] : (header ?? '')).toLowerCase();
	return type.startsWith('application/json') || type.startsWith('text/');
}

async function notVideoFailure(response: OpenResponse, signal?: AbortSignal): Promise<Failure> {
	const outcome = await readJsonOutcome(response, signal);
	if (outcome.kind !== 'ok') return outcome;
	return parseErrorShape(outcome.body)
		? { kind: 'http-error', status: outcome.status, body: outcome.body, retryAfterMs: null }
		: { kind: 'bad-body', status: outcome.status };
}

/**
 * How the video's host, or the storage a redirect leads to, says a link no longer works: a
 * signature that expired or is refused (401, 403), an object gone (404, 410). Kirin gave the task
 * with its key a moment ago, so this is about the link, never the key or the task.
 */
const LINK_FAILED = new Set([401, 403, 404, 410]);

type Fetched =
	| { ok: true; video: IBinaryData }
	| { ok: false; failure: Failure; attempts: number; linkFailed: boolean; answeredBy: string };

/** Streams one video URL into n8n's binary data store, with retries on what may pass. */
async function fetchVideo(client: KirinClient, url: string, fileName: string): Promise<Fetched> {
	const { ctx, options } = client;
	let answeredBy = url;
	const result = await client.retrying<IBinaryData>(async () => {
		const response = await openRequest(
			ctx,
			{
				method: 'GET',
				url,
				timeoutMs: options.requestTimeoutMs,
				credential: client.credential,
				accept: 'video/*, */*',
			},
			options.signal,
		);
		let failure: Failure;
		if (response.kind !== 'stream') {
			failure = response;
		} else if (response.status < 200 || response.status >= 300) {
			answeredBy = response.url;
			// A non-2xx answer is never read as 'ok'.
			failure = (await readJsonOutcome(response, options.signal)) as Failure;
		} else if (isNotVideo(response)) {
			failure = await notVideoFailure(response, options.signal);
		} else {
			try {
				const video = await ctx.helpers.prepareBinaryData(
					response.body as unknown as Parameters<BinaryHelperFunctions['prepareBinaryData']>[0],
					fileName,
					'video/mp4',
				);
				return { done: video };
			} catch (error) {
				failure = classifyNetworkError(error, options.signal);
			}
		}
		return { failure, retry: isTransient(failure) };
	});
	if (result.ok) return { ok: true, video: result.value };
	const { failure, attempts } = result;
	const linkFailed = failure.kind === 'http-error' && LINK_FAILED.has(failure.status);
	return { ok: false, failure, attempts, linkFailed, answeredBy };
}

/** The task as Kirin gives it now (perhaps with a fresh link), or null if Kirin cannot say. */
async function askAgain(client: KirinClient, task: KirinTask, itemIndex: number): Promise<KirinTask | null> {
	try {
		return await getTask(client, task.id, itemIndex, task.externalTaskId ?? undefined);
	} catch {
		return null;
	}
}

/**
 * Streams a completed task's video into n8n's binary data store (memory, filesystem or S3,
 * whatever the instance uses) without holding it whole here. The API key is sent only to the
 * API's own origin: not to a CDN the URL points at, nor to one a redirect leads to. A link the
 * video's host or storage refuses may have expired since Kirin gave it (a task reused from an
 * earlier run, a late download): Kirin is asked for the task again, and a new link is tried
 * once. Returns the video and the task its link came from.
 */
export async function downloadVideo(
	client: KirinClient,
	task: KirinTask,
	itemIndex: number,
): Promise<{ video: IBinaryData; task: KirinTask }> {
	const { ctx } = client;
	if (!task.videoUrl) {
		throw new NodeApiError(
			ctx.getNode(),
			{ taskId: task.id, status: task.status },
			{
				message: `Kirin task ${task.id} has no video to download yet (status: ${task.status}) [item ${itemIndex}]`,
				description: 'Wait until the task is completed (Wait operation), then download its video.',
				itemIndex,
			},
		);
	}
	const fileName = `${task.id}.mp4`;
	const first = await fetchVideo(client, task.videoUrl, fileName);
	if (first.ok) return { video: first.video, task };
	if (!first.linkFailed) throw client.fail(first.failure, first.attempts, itemIndex, task.id);

	const fresh = await askAgain(client, task, itemIndex);
	const freshUrl = fresh?.videoUrl;
	if (!fresh || !freshUrl || freshUrl === task.videoUrl) {
		throw videoLinkError(ctx.getNode(), first.failure, {
			itemIndex,
			taskId: task.id,
			answeredBy: first.answeredBy,
			freshLink: false,
			redact: client.redact,
		});
	}
	const second = await fetchVideo(client, freshUrl, fileName);
	if (second.ok) return { video: second.video, task: fresh };
	if (!second.linkFailed) throw client.fail(second.failure, second.attempts, itemIndex, task.id);
	throw videoLinkError(ctx.getNode(), second.failure, {
		itemIndex,
		taskId: task.id,
		answeredBy: second.answeredBy,
		freshLink: true,
		redact: client.redact,
	});
}
