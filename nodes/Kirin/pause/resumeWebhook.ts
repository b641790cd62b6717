import {
	NodeOperationError,
	type IDataObject,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CALLBACK_CLIENT_OPTIONS } from '../../shared/api/callbackOptions';
import { KirinClient } from '../../shared/api/client';
import { readCredentials } from '../../shared/api/credentials';
import { parseTask, type KirinTask } from '../../shared/api/parse';
import { isFinal } from '../../shared/api/status';
import { findByExternalId } from '../../shared/api/tasks';
import { mapWithConcurrency } from '../../shared/concurrency';
import { endedResult, failed, resultItems, type ItemResult } from '../actions/results';
import { attachVideos } from '../wait/waitThenDownload';
import { readSignedItems, type PausedItem } from './resumeUrl';

/**
 * The execution's resume URL (`$execution.resumeUrl`). A restart webhook is never registered
 * anywhere: n8n serves it only while an execution waits on this node, so the node needs no
 * webhookMethods (n8n's own Form and "send and wait" nodes have none either).
 */
export const PAUSE_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
		isFullPath: true,
	},
];

/**
 * The resume webhook. Answers every real callback at once; resumes the execution only when the
 * API itself says every item's task is final, with the API's tasks (and videos) as the output.
 */
export async function resumeWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const response = ctx.getResponseObject();
	const answer = (status: number, body: IDataObject): IWebhookResponseData => {
		response.status(status).json(body);
		return { noWebhookResponse: true };
	};

	const credentials = await readCredentials(ctx);
	const client = await KirinClient.connect(ctx, CALLBACK_CLIENT_OPTIONS, credentials);
	const executionId = ctx.getExecutionId() ?? '';
	const paused = readSignedItems(ctx.getQueryData() as IDataObject, executionId, credentials.apiKey);
	if (paused === null) {
		return answer(401, { ok: false, reason: 'missing or wrong token' });
	}

	const claimed = parseTask(ctx.getBodyData());
	if (claimed === null || !isFinal(claimed.status)) {
		return answer(200, { ok: true, resumed: false, reason: 'not a final status' });
	}

	let tasks: Array<KirinTask | null>;
	try {
		// An empty place is an item whose inputs failed their checks: it has no task.
		tasks = await mapWithConcurrency(paused, 5, async (item, itemIndex) =>
			'noTask' in item ? null : await findByExternalId(client, item.externalTaskId, itemIndex),
		);
	} catch (error) {
		ctx.logger.warn('Kirin could not be reached to check a callback; asking the sender to retry', {
			executionId,
			error: client.redact((error as Error).message),
		});
		response.setHeader('retry-after', '30');
		return answer(503, { ok: false, reason: 'could not verify the tasks with Kirin' });
	}
	// No task for an item means its create failed (kept with Continue On Fail): nothing to wait for.
	const pending = tasks.filter((task) => task !== null && !isFinal(task.status)).length;
	if (pending > 0 && unconfirmed(claimed, tasks)) {
		// The callback says its task ended, and Kirin does not say so yet (it may record the end
		// after calling back). A sender that retries on failure calls again later: the end is not
		// lost, where a 200 would have ended its retries and left this execution to its time limit.
		response.setHeader('retry-after', String(UNCONFIRMED_RETRY_SECONDS));
		return answer(503, { ok: false, reason: 'Kirin does not confirm this final status yet' });
	}
	if (pending > 0) return answer(200, { ok: true, resumed: false, waiting: pending });

	// Answer first: the videos may take a while, and the API should not time out and retry.
	response.status(200).json({ ok: true, resumed: true });
	const download = ctx.getNodeParameter('download', false) as boolean;
	const binaryProperty = ctx.getNodeParameter('binaryPropertyOutput', 'data') as string;
	// A resumed node cannot stop the workflow any more: a failed item carries `error` (on the
	// error output with "Continue (using error output)").
	const node = ctx.getNode();
	const results = tasks.map((task, itemIndex): ItemResult => {
		if (task === null) return failed(ctx, noTaskError(ctx, paused[itemIndex], itemIndex));
		const item = paused[itemIndex];
		return endedResult(ctx, task, itemIndex, client.redact, {
			estimatedCost: item.estimatedCost,
			reused: 'reused' in item && item.reused === true,
		});
	});
	const finished = download ? await attachVideos(ctx, client, results, 3) : results;
	return { workflowData: [resultItems(node, finished, binaryProperty)], noWebhookResponse: true };
}

/** How long a sender should wait before calling again with a final status Kirin does not confirm yet. */
const UNCONFIRMED_RETRY_SECONDS = 10;

/** Whether the callback's task is one of this execution's and Kirin has it as not final. */
function unconfirmed(claimed: KirinTask, tasks: Array<KirinTask | null>): boolean {
	const ours = tasks.find(
		(task) =>
			task !== null &&
			(task.id === claimed.id ||
				(claimed.externalTaskId !== null && task.externalTaskId === claimed.externalTaskId)),
	);
	return ours !== undefined && ours !== null && !isFinal(ours.status);
}

/** Why an item of the paused run has no task: its inputs failed their checks, or its create failed. */
function noTaskError(ctx: IWebhookFunctions, item: PausedItem, itemIndex: number): NodeOperationError {
	const [message, description] =
		'noTask' in item && item.noTask === 'inputs'
			? [
					"This item's inputs failed their checks, so no video was started for it",
					"Fix the item's inputs (the node's other errors in this run say how), then run it again.",
				]
			: ['Kirin has no task for this item: its create failed', 'Run the item again.'];
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, { itemIndex, description });
}
