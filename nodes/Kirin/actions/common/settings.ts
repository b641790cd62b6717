import type { IExecuteFunctions } from 'n8n-workflow';

import { KirinClient } from '../../../shared/api/client';
import { isToolMode } from '../../tool/toolMode';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STATUS_REQUESTS_PER_SECOND } from '../../wait/pollTasks';
import type { DownloadChoice, WaitChoice } from '../../wait/waitThenDownload';

/**
 * Node-wide settings, read once per run from item 0: they shape the whole batch (one poll
 * schedule, one concurrency), so they are not per item.
 */

/** The Options collection's request and polling settings. */
export interface RunOptions {
	concurrency: number;
	requestTimeoutMs: number;
	pollFirstMs: number;
	pollMaxMs: number;
	maxStatusRequestsPerSecond: number;
}

export function readRunOptions(ctx: IExecuteFunctions): RunOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as {
		concurrency?: number;
		requestTimeoutSeconds?: number;
		pollFirstSeconds?: number;
		pollMaxSeconds?: number;
		maxStatusRequestsPerSecond?: number;
	};
	const pollFirstMs = (options.pollFirstSeconds ?? DEFAULT_POLL_SCHEDULE.firstMs / 1000) * 1000;
	return {
		concurrency: Math.max(1, Math.floor(options.concurrency ?? 10)),
		requestTimeoutMs: (options.requestTimeoutSeconds ?? 60) * 1000,
		pollFirstMs,
		pollMaxMs: Math.max(pollFirstMs, (options.pollMaxSeconds ?? DEFAULT_POLL_SCHEDULE.maxMs / 1000) * 1000),
		maxStatusRequestsPerSecond: Math.max(
			0.1,
			options.maxStatusRequestsPerSecond ?? DEFAULT_STATUS_REQUESTS_PER_SECOND,
		),
	};
}

/** The API client for this run: its time-out from the options, cancelled with the execution. */
export async function connect(ctx: IExecuteFunctions, run: RunOptions): Promise<KirinClient> {
	return await KirinClient.connect(ctx, {
		requestTimeoutMs: run.requestTimeoutMs,
		signal: ctx.getExecutionCancelSignal(),
	});
}

/** The time limit, in milliseconds (also a paused execution's limit). */
export function readTimeLimitMs(ctx: IExecuteFunctions): number {
	return (ctx.getNodeParameter('timeLimitMinutes', 0, 20) as number) * 60_000;
}

export function readWaitChoice(ctx: IExecuteFunctions, run: RunOptions): WaitChoice {
	return {
		settings: {
			timeLimitMs: readTimeLimitMs(ctx),
			schedule: { firstMs: run.pollFirstMs, maxMs: run.pollMaxMs, factor: DEFAULT_POLL_SCHEDULE.factor },
			concurrency: run.concurrency,
			maxRequestsPerSecond: run.maxStatusRequestsPerSecond,
			signal: ctx.getExecutionCancelSignal(),
		},
		onTimeout: ctx.getNodeParameter('onTimeout', 0, 'error') as 'error' | 'output',
	};
}

/** Download Video and its field; nothing is downloaded when `enabled` is false. */
export function readDownloadChoice(ctx: IExecuteFunctions, run: RunOptions, enabled = true): DownloadChoice {
	// An AI Agent drops binary data: as a tool the node gives the video's URL, not its bytes.
	const download = enabled && !isToolMode(ctx) && (ctx.getNodeParameter('download', 0, false) as boolean);
	return {
		download,
		binaryProperty: download ? (ctx.getNodeParameter('binaryPropertyOutput', 0, 'data') as string) : 'data',
		concurrency: run.concurrency,
	};
}
