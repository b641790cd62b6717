import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { KirinClient } from '../../../shared/api/client';
import { parseTask } from '../../../shared/api/parse';
import { isFinal, type KirinTask } from '../../../shared/api/types';
import { mapWithConcurrency } from '../../../shared/concurrency';
import { taskJson } from '../../../shared/taskJson';
import { tokenMatches } from '../../../shared/token';

/**
 * "Pause until Kirin calls back": the tasks are created with this execution's resume URL as
 * their callback, and n8n stores the execution and frees the worker until the URL is called.
 *
 * A paused node cannot keep state of its own: n8n hands its webhook only the request. So the
 * resume URL carries what the webhook needs, the items' external task IDs (`x`), signed with
 * the credential (`k`), and the webhook asks the API for every one of them before it resumes.
 */
export const MAX_PAUSED_ITEMS = 25;

const REFS = 'x';
const SIGNATURE = 'k';

function signed(client: KirinClient, executionId: string, refs: string): string {
	return client.sign(`resume:${executionId}:${refs}`);
}

/** The callback URL for every task of this execution. */
export function resumeCallbackUrl(
	ctx: IExecuteFunctions,
	client: KirinClient,
	externalTaskIds: string[],
): string {
	// n8n's own URL, with its resume token: n8n refuses any call to it without that token.
	const url = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	const refs = externalTaskIds.join(',');
	url.searchParams.set(REFS, refs);
	url.searchParams.set(SIGNATURE, signed(client, ctx.getExecutionId(), refs));
	return url.toString();
}

// The callback must be answered quickly; a short retry covers a blip.
const VERIFY_OPTIONS = { requestTimeoutMs: 10_000, backoff: { retries: 1, baseMs: 250, maxMs: 1_000 } };

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

	const client = await KirinClient.connect(ctx, VERIFY_OPTIONS);
	const query = ctx.getQueryData() as IDataObject;
	const refs = typeof query[REFS] === 'string' ? query[REFS] : '';
	const executionId = ctx.getExecutionId() ?? '';
	if (!refs || !tokenMatches(query[SIGNATURE], signed(client, executionId, refs))) {
		return answer(401, { ok: false, reason: 'missing or wrong token' });
	}

	const claimed = parseTask(ctx.getBodyData());
	if (claimed === null || !isFinal(claimed.status)) {
		return answer(200, { ok: true, resumed: false, reason: 'not a final status' });
	}

	let tasks: Array<KirinTask | null>;
	try {
		tasks = await mapWithConcurrency(
			refs.split(','),
			5,
			async (ref, itemIndex) => await client.findTask(ref, itemIndex),
		);
	} catch (error) {
		ctx.logger.warn('Kirin could not be reached to check a callback; asking the sender to retry', {
			executionId,
			error: client.redact((error as Error).message),
		});
		response.setHeader('retry-after', '30');
		return answer(503, { ok: false, reason: 'could not verify the tasks with Kirin' });
	}
	// No task under a reference means its create failed (kept with Continue On Fail): nothing to wait for.
	const pending = tasks.filter((task) => task !== null && !isFinal(task.status)).length;
	if (pending > 0) return answer(200, { ok: true, resumed: false, waiting: pending });

	// Answer first: the videos may take a while, and the API should not time out and retry.
	response.status(200).json({ ok: true, resumed: true });
	const download = ctx.getNodeParameter('download', false) as boolean;
	const binaryProperty = ctx.getNodeParameter('binaryPropertyOutput', 'data') as string;
	const externalTaskIds = refs.split(',');
	const items = await mapWithConcurrency(tasks, 3, async (task, itemIndex) => {
		if (task === null) {
			return {
				json: {
					externalTaskId: externalTaskIds[itemIndex],
					error: 'Kirin has no task for this item: its create failed.',
				},
				pairedItem: { item: itemIndex },
			};
		}
		const item: INodeExecutionData = { json: taskJson(task), pairedItem: { item: itemIndex } };
		if (download && task.status === 'completed') {
			try {
				item.binary = { [binaryProperty]: await client.downloadVideo(task, itemIndex) };
			} catch (error) {
				item.json.error = client.redact((error as Error).message);
			}
		}
		return item;
	});
	return { workflowData: [items], noWebhookResponse: true };
}
