import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../shared/api/client';
import { downloadVideo } from '../../shared/api/download';
import type { KirinTask } from '../../shared/api/parse';
import { mapWithConcurrency, settle } from '../../shared/concurrency';
import { endedResult, failed, type ItemResult, type OkResult } from '../actions/results';
import { waitForTasks, type WaitResult, type WaitSettings, type WaitTarget } from './pollTasks';

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
	return download.download ? await attachVideos(ctx, client, waited, download.concurrency) : waited;
}

/** Attaches each completed task's video; an item whose download fails fails, with its task. */
export async function attachVideos(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	client: KirinClient,
	results: ItemResult[],
	concurrency: number,
): Promise<ItemResult[]> {
	return await mapWithConcurrency(results, concurrency, async (result, itemIndex) => {
		if (!result.ok || result.task.status !== 'completed') return result;
		const video = await settle(async () => await downloadVideo(client, result.task, itemIndex));
		// The task the video came from: with a fresh link, if the first had expired.
		return video.ok
			? { ...result, task: video.value.task, video: video.value.video }
			: failed(ctx, video.error, result.task);
	});
}

/**
 * Waits for every item's task at once, with one shared poll schedule. An item names its task
 * by a result (the task as known a moment ago: created, or looked up) or by its ID alone (the
 * Wait operation, whose first check is part of the wait). Items that already failed pass through.
 */
export async function waitForAll(
	ctx: IExecuteFunctions,
	client: KirinClient,
	items: ReadonlyArray<ItemResult | { ref: string }>,
	wait: WaitChoice,
): Promise<ItemResult[]> {
	const targets: WaitTarget[] = [];
	items.forEach((item, itemIndex) => {
		if ('ref' in item) targets.push({ ref: item.ref, itemIndex });
		else if (item.ok) targets.push({ ref: item.task.id, itemIndex, known: item.task });
	});
	const outcomes = await waitForTasks(client, targets, wait.settings, ctx.getNode());

	const next = items.map((item) => ('ref' in item ? undefined : item));
	outcomes.forEach((outcome, position) => {
		const { itemIndex, known, ref } = targets[position];
		const before = next[itemIndex] as OkResult | undefined;
		const ok = (task: KirinTask): OkResult => ({ ...before, ok: true, task });
		if (outcome.kind === 'error') {
			next[itemIndex] = failed(ctx, outcome.error, known);
		} else if (outcome.kind === 'final') {
			next[itemIndex] = endedResult(ctx, outcome.task, itemIndex, client.redact, before);
		} else {
			next[itemIndex] = timedOut(ctx, outcome, wait, itemIndex, outcome.task ?? known ?? null, ref, ok);
		}
	});
	return next as ItemResult[];
}

function timedOut(
	ctx: IExecuteFunctions,
	outcome: Extract<WaitResult, { kind: 'timed-out' }>,
	wait: WaitChoice,
	itemIndex: number,
	task: KirinTask | null,
	ref: string,
	ok: (task: KirinTask) => OkResult,
): ItemResult {
	if (task && wait.onTimeout === 'output') return { ...ok(task), timedOut: true };
	const failing = outcome.failing ? `, and Kirin's status checks kept failing (${outcome.failing})` : '';
	const where = task
		? `Kirin task ${task.id} was still ${task.status} when the time limit ran out${failing}`
		: `Kirin task ${ref} could not be checked before the time limit ran out${failing}`;
	const error = new NodeOperationError(ctx.getNode(), `${where} [item ${itemIndex}]`, {
		itemIndex,
		description:
			'Raise Time Limit, or set On Time-Out to return the task and check it later with Get Status.',
	});
	return failed(ctx, error, task ?? undefined);
}
