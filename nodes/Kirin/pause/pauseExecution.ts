import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { KirinClient } from '../../shared/api/client';
import { readCredentials } from '../../shared/api/credentials';
import { isFinal } from '../../shared/api/status';
import { checkTask, externalLookupWorks } from '../../shared/api/tasks';
import { mapWithConcurrency } from '../../shared/concurrency';
import type { Check } from '../../shared/input/check';
import { claimedExternalId, type Claims } from '../create/claims';
import type { PreparedCreate } from '../create/createInputs';
import { toOutputItems, type ItemResult, type OkResult } from '../actions/results';
import { readTimeLimitMs } from '../actions/common/settings';
import { signedResumeUrl, type PausedItem } from './resumeUrl';

/**
 * "Pause Until Kirin Calls Back", the execution side: the tasks are created with this
 * execution's resume URL as their callback, then n8n stores the execution and frees the worker
 * until the URL is called (resumeWebhook.ts) or the time limit passes.
 */

/** The resume URL carries every item's external task ID; beyond this it grows too long. */
export const MAX_PAUSED_ITEMS = 25;

/** Refuses, before any request, what Pause cannot do: too many items, a Callback URL of the user's. */
export function checkPausable(ctx: IExecuteFunctions, prepared: Array<Check<PreparedCreate>>): void {
	if (prepared.length > MAX_PAUSED_ITEMS) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Pause Until Kirin Calls Back handles up to ${MAX_PAUSED_ITEMS} items per execution and this run has ${prepared.length}`,
			{
				description:
					'Choose Wait Method "Poll", or create without waiting and handle the videos with a Kirin Trigger.',
			},
		);
	}
	if (prepared.some((entry) => entry.ok && entry.value.inputs.callbackUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Pause Until Kirin Calls Back sets the callback URL itself, and Options → Callback URL sets another',
			{ description: 'Remove Options → Callback URL, or choose Wait Method "Poll".' },
		);
	}
}

/**
 * Points every item's task at this execution's resume URL, which names, in item order, the
 * external task ID each item's task was claimed under (an empty place for an item whose inputs
 * failed their checks) and the price quoted for it, so the resumed output pairs each task with
 * its own input item and carries its estimate. After a failed task the claim is the next
 * attempt's ID (`<id>-2`), never the failed one's.
 */
export async function pointCallbacksHere(
	ctx: IExecuteFunctions,
	prepared: Array<Check<PreparedCreate>>,
	claims: Claims,
	estimates: Array<number | null>,
): Promise<void> {
	const { apiKey } = await readCredentials(ctx);
	// n8n's own URL, with its resume token: n8n refuses any call to it without that token.
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const items = prepared.map((entry, itemIndex): PausedItem => {
		if (!entry.ok) return { noTask: 'inputs', estimatedCost: null };
		const claimed = claims[itemIndex];
		const externalTaskId = claimedExternalId(claimed);
		// A claim that failed fails its create too, before anything is sent.
		if (externalTaskId === null) return { noTask: 'create', estimatedCost: null };
		const reused = claimed?.ok === true && 'reuse' in claimed.value;
		return { externalTaskId, estimatedCost: estimates[itemIndex] ?? null, reused };
	});
	const url = signedResumeUrl(resumeUrl, ctx.getExecutionId(), apiKey, items);
	for (const entry of prepared) if (entry.ok) entry.value.inputs.callbackUrl = url;
}

/**
 * Whether pausing can end in a resume. Not when nothing is left to wait for (every task is
 * final, or every create failed: the node outputs at once), when a task being made was reused
 * from an earlier run (its callbacks go to that run's URL), or when this API cannot find a task
 * by its external task ID (the resume webhook could not check the others). In the last two
 * cases the node waits by polling instead.
 *
 * Last, every unfinished task is asked for once more (`created` is refreshed in place): until
 * n8n has stored the execution as waiting it answers the resume URL with an error, so a task that
 * ended since its create (refused at once, say) has called back in vain, and pausing for it
 * would wait out the whole time limit. When every task has ended by now, the node does not
 * pause and its On Error applies as with Poll.
 */
export async function canPause(
	ctx: IExecuteFunctions,
	client: KirinClient,
	created: ItemResult[],
	concurrency: number,
): Promise<boolean> {
	const unfinished = created.filter(
		(result): result is OkResult => result.ok && !isFinal(result.task.status),
	);
	if (unfinished.length === 0) return false;
	const why = (reason: string) => {
		ctx.logger.info(`Kirin waits by polling instead of pausing: ${reason}`, {
			executionId: ctx.getExecutionId(),
		});
		return false;
	};
	if (unfinished.some((result) => result.reused)) {
		return why('a video still being made was started by an earlier run, and calls that run back');
	}
	const sample = unfinished[0].task;
	const lookup = await externalLookupWorks(client, created.indexOf(unfinished[0]), {
		externalTaskId: sample.externalTaskId ?? '',
		taskId: sample.id,
	});
	if (!lookup) return why('this Kirin API does not find tasks by their external task ID');
	await refreshUnfinished(client, created, concurrency);
	return created.some((result) => result.ok && !isFinal(result.task.status));
}

/**
 * Asks once for every task not final yet and keeps what Kirin says. A task that cannot be
 * asked for now keeps its last status: its callbacks, or the time limit, still end the wait.
 */
async function refreshUnfinished(
	client: KirinClient,
	created: ItemResult[],
	concurrency: number,
): Promise<void> {
	await mapWithConcurrency(created, concurrency, async (result, itemIndex) => {
		if (!result.ok || isFinal(result.task.status)) return;
		const check = await checkTask(client, result.task.id, itemIndex);
		if (check.ok) created[itemIndex] = { ...result, task: check.task };
	});
}

/** Stores the execution as waiting, with the created tasks as the node's output until then. */
export async function pauseUntilCalledBack(
	ctx: IExecuteFunctions,
	created: ItemResult[],
): Promise<INodeExecutionData[]> {
	const output = toOutputItems(ctx, created, 'data');
	await ctx.putExecutionToWait(new Date(Date.now() + readTimeLimitMs(ctx)));
	return output;
}
