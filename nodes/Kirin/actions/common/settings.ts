import type { IExecuteFunctions } from 'n8n-workflow';

import { KirinClient } from '../../../shared/api/client';
import { isToolMode } from '../../tool/toolMode';
import { checkNumber, MAX_TIMER_MINUTES, MAX_TIMER_SECONDS, optionNumber, readOptions } from './options';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STATUS_REQUESTS_PER_SECOND } from '../../wait/pollTasks';
import type { DownloadChoice, WaitChoice } from '../../wait/waitThenDownload';

/**
 * Node-wide settings, read once per run from item 0: they shape the whole batch (one poll
 * schedule, one concurrency), so they are not per item. All of them are read, and checked
 * (options.ts), before the first create: a setting found wrong after a purchase would fail a
 * video already paid for.
 */

/** The Options collection's request and polling settings. */
export interface RunOptions {
	concurrency: number;
	requestTimeoutMs: number;
	pollFirstMs: number;
	pollMaxMs: number;
	maxStatusRequestsPerSecond: number;
}

const SECONDS = { unit: 'seconds', max: MAX_TIMER_SECONDS };

/** The run settings among the Options, by the labels their errors name. */
const RUN_OPTION_LABELS = {
	pollFirstSeconds: 'First Poll After',
	pollMaxSeconds: 'Max Poll Interval',
	concurrency: 'Max Concurrent Requests',
	requestTimeoutSeconds: 'Request Timeout',
	maxStatusRequestsPerSecond: 'Max Status Checks per Second',
};

/** Every request and polling option, checked: an added option that is empty or out of range stops the node. */
export function readRunOptions(ctx: IExecuteFunctions): RunOptions {
	const options = readOptions(ctx, 0, RUN_OPTION_LABELS);
	const pollFirstSeconds =
		optionNumber(ctx, options, 'pollFirstSeconds', {
			label: RUN_OPTION_LABELS.pollFirstSeconds,
			min: 0.1,
			...SECONDS,
			whenRemoved: `${DEFAULT_POLL_SCHEDULE.firstMs / 1000} seconds`,
		}) ?? DEFAULT_POLL_SCHEDULE.firstMs / 1000;
	const pollMaxSeconds =
		optionNumber(ctx, options, 'pollMaxSeconds', {
			label: RUN_OPTION_LABELS.pollMaxSeconds,
			min: 0.1,
			...SECONDS,
			whenRemoved: `${DEFAULT_POLL_SCHEDULE.maxMs / 1000} seconds`,
		}) ?? DEFAULT_POLL_SCHEDULE.maxMs / 1000;
	const concurrency =
		optionNumber(ctx, options, 'concurrency', {
			label: RUN_OPTION_LABELS.concurrency,
			min: 1,
			whenRemoved: '10 at a time',
		}) ?? 10;
	const requestTimeoutSeconds =
		optionNumber(ctx, options, 'requestTimeoutSeconds', {
			label: RUN_OPTION_LABELS.requestTimeoutSeconds,
			min: 1,
			...SECONDS,
			whenRemoved: '60 seconds',
		}) ?? 60;
	const maxStatusRequestsPerSecond =
		optionNumber(ctx, options, 'maxStatusRequestsPerSecond', {
			label: RUN_OPTION_LABELS.maxStatusRequestsPerSecond,
			min: 0.1,
			whenRemoved: `${DEFAULT_STATUS_REQUESTS_PER_SECOND} per second`,
		}) ?? DEFAULT_STATUS_REQUESTS_PER_SECOND;
	const pollFirstMs = pollFirstSeconds * 1000;
	return {
		concurrency: Math.floor(concurrency),
		requestTimeoutMs: requestTimeoutSeconds * 1000,
		pollFirstMs,
		pollMaxMs: Math.max(pollFirstMs, pollMaxSeconds * 1000),
		maxStatusRequestsPerSecond,
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
	const minutes = checkNumber(
		ctx,
		ctx.getNodeParameter('timeLimitMinutes', 0, 20),
		// The poll loop's timer keeps at most MAX_SLEEP_MS; a paused execution is held to the same.
		{ label: 'Time Limit', min: 0, minExclusive: true, max: MAX_TIMER_MINUTES, unit: 'minutes' },
		0,
	);
	return minutes * 60_000;
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
