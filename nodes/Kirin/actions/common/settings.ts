import type { IExecuteFunctions } from 'n8n-workflow';

import { KirinClient } from '../../../shared/api/client';
import { DEFAULT_POLL_SCHEDULE, type WaitSettings } from '../../../shared/api/poll';

/** The node-wide Options collection, read once per run (item 0: these are not per item). */
export interface RunOptions {
	concurrency: number;
	requestTimeoutMs: number;
	pollFirstMs: number;
	pollMaxMs: number;
}

export function readRunOptions(ctx: IExecuteFunctions): RunOptions {
	const options = ctx.getNodeParameter('options', 0, {}) as {
		concurrency?: number;
		requestTimeoutSeconds?: number;
		pollFirstSeconds?: number;
		pollMaxSeconds?: number;
	};
	const pollFirstMs = (options.pollFirstSeconds ?? DEFAULT_POLL_SCHEDULE.firstMs / 1000) * 1000;
	return {
		concurrency: Math.max(1, Math.floor(options.concurrency ?? 10)),
		requestTimeoutMs: (options.requestTimeoutSeconds ?? 60) * 1000,
		pollFirstMs,
		pollMaxMs: Math.max(pollFirstMs, (options.pollMaxSeconds ?? DEFAULT_POLL_SCHEDULE.maxMs / 1000) * 1000),
	};
}

export async function connect(ctx: IExecuteFunctions, run: RunOptions): Promise<KirinClient> {
	return await KirinClient.connect(ctx, {
		requestTimeoutMs: run.requestTimeoutMs,
		signal: ctx.getExecutionCancelSignal(),
	});
}

/** What the wait fields say (read from item 0, like every node-wide setting). */
export interface WaitChoice {
	settings: WaitSettings;
	onTimeout: 'error' | 'output';
}

export function readWaitChoice(ctx: IExecuteFunctions, run: RunOptions): WaitChoice {
	const minutes = ctx.getNodeParameter('timeLimitMinutes', 0, 20) as number;
	return {
		settings: {
			timeLimitMs: minutes * 60_000,
			schedule: { firstMs: run.pollFirstMs, maxMs: run.pollMaxMs, factor: DEFAULT_POLL_SCHEDULE.factor },
			concurrency: run.concurrency,
			signal: ctx.getExecutionCancelSignal(),
		},
		onTimeout: ctx.getNodeParameter('onTimeout', 0, 'error') as 'error' | 'output',
	};
}

export interface DownloadChoice {
	download: boolean;
	binaryProperty: string;
}

export function readDownloadChoice(ctx: IExecuteFunctions): DownloadChoice {
	const download = ctx.getNodeParameter('download', 0, false) as boolean;
	return {
		download,
		binaryProperty: download ? (ctx.getNodeParameter('binaryPropertyOutput', 0, 'data') as string) : 'data',
	};
}
