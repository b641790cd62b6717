import { NodeApiError, type BinaryHelperFunctions, type IBinaryData } from 'n8n-workflow';

import { classifyNetworkError, type Failure } from '../transport/outcome';
import { openRequest, readJsonOutcome, type OpenResponse } from '../transport/request';
import type { KirinClient } from './client';
import { isTransient } from './failures';
import { parseErrorShape, type KirinTask } from './parse';

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
 * Streams a completed task's video into n8n's binary data store (memory, filesystem or S3,
 * whatever the instance uses) without holding it whole here. The API key is sent only to the
 * API's own origin: not to a CDN the URL points at, nor to one a redirect leads to.
 */
export async function downloadVideo(
	client: KirinClient,
	task: KirinTask,
	itemIndex: number,
): Promise<IBinaryData> {
	const { ctx, options } = client;
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
	const url = task.videoUrl;
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
			// A non-2xx answer is never read as 'ok'.
			failure = (await readJsonOutcome(response, options.signal)) as Failure;
		} else if (isNotVideo(response)) {
			failure = await notVideoFailure(response, options.signal);
		} else {
			try {
				const video = await ctx.helpers.prepareBinaryData(
					response.body as unknown as Parameters<BinaryHelperFunctions['prepareBinaryData']>[0],
					`${task.id}.mp4`,
					'video/mp4',
				);
				return { done: video };
			} catch (error) {
				failure = classifyNetworkError(error, options.signal);
			}
		}
		return { failure, retry: isTransient(failure) };
	});
	if (result.ok) return result.value;
	throw client.fail(result.failure, result.attempts, itemIndex, task.id);
}
