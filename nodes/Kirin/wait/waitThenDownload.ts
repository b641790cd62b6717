import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../shared/api/client';
import { downloadVideo } from '../../shared/api/download';
import { taskFailedError } from '../../shared/api/errors';
import { mapWithConcurrency, settle } from '../../shared/concurrency';
import { failed, type ItemResult, type OkResult } from '../actions/common/results';
import { waitForTasks, type WaitSettings, type WaitTarget } from './pollTasks';

/** How to wait (the wait fields of Create with Wait for Completion, and of Wait). */
export interface WaitChoice {
	settings: WaitSettings;
	onTimeout: 'error' | 'output';
}

/** Whether to attach finished videos as binary, and in which field. */
export interface DownloadChoice {
	download: boolean;
	binaryProperty: string;
	/** How many downloads run at once. */
	concurrency: number;
}

/**
 * The steps every operation shares once it knows its tasks: optionally wait for them to end,
 * then optionally attach each finished video. Items that already failed pass through.
 */
export async function waitThenDownload(
	ctx: IExecuteFunctions,
	client: KirinClient,
	items: ItemResult[],
	wait: WaitChoice | null,
	download: DownloadChoice,
): Promise<ItemResult[]> {
	const waited = wait ? await waitForAll(ctx, client, items, wait) : items;
	if (!download.download) return waited;
	return await mapWithConcurrency(waited, download.concurrency, async (result, itemIndex) => {
		if (!result.ok || result.task.status !== 'completed') return result;
		const video = await settle(async () => await downloadVideo(client, result.task, itemIndex));
		return video.ok ? { ...result, video: video.value } : failed(ctx, video.error, result.task);
	});
}

/** Waits for every task at once, with one shared poll schedule. */
async function waitForAll(
	ctx: IExecuteFunctions,
	client: KirinClient,
	items: ItemResult[],
	wait: WaitChoice,
): Promise<ItemResult[]> {
	const indexes = items.flatMap((result, index) => (result.ok ? [index] : []));
	const known = indexes.map((index) => (items[index] as OkResult).task);
	const targets: WaitTarget[] = indexes.map((itemIndex, position) => ({
		ref: known[position].id,
		itemIndex,
		known: known[position],
	}));
	const outcomes = await waitForTasks(client, targets, wait.settings, ctx.getNode());

	const next = [...items];
	outcomes.forEach((outcome, position) => {
		const itemIndex = indexes[position];
		if (outcome.kind === 'error') {
			next[itemIndex] = failed(ctx, outcome.error, known[position]);
		} else if (outcome.kind === 'final') {
			next[itemIndex] =
				outcome.task.status === 'completed'
					? { ...(items[itemIndex] as OkResult), task: outcome.task }
					: failed(ctx, taskFailedError(ctx.getNode(), outcome.task, itemIndex, client.redact), outcome.task);
		} else {
			const task = outcome.task ?? known[position];
			const failing = outcome.failing ? `, and Kirin's status checks kept failing (${outcome.failing})` : '';
			next[itemIndex] =
				wait.onTimeout === 'output'
					? { ...(items[itemIndex] as OkResult), task, timedOut: true }
					: failed(
							ctx,
							new NodeOperationError(
								ctx.getNode(),
								`Kirin task ${task.id} was still ${task.status} when the time limit ran out${failing}: raise Time Limit, or set On Time-Out to return the task and check it later with Get Status. [item ${itemIndex}]`,
								{ itemIndex },
							),
							task,
						);
		}
	});
	return next;
}
