import type { IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../../shared/api/client';
import { getTask, getTaskByExternalId } from '../../../shared/api/tasks';
import { mapWithConcurrency, settle } from '../../../shared/concurrency';
import type { Check } from '../../../shared/input/check';
import { checkTaskId } from '../../../shared/input/textRules';
import { failed, inputError, type ItemResult } from '../results';

export type LookUpBy = 'id' | 'externalTaskId';

const BY: Record<LookUpBy, { parameter: string; what: string }> = {
	id: { parameter: 'taskId', what: 'The task ID' },
	externalTaskId: { parameter: 'externalTaskId', what: 'The external task ID' },
};

/**
 * Each item's task ID (or external task ID), checked before the first request, as Create checks
 * its inputs: a malformed one stops the node at once (or, with Continue On Fail, fails only its
 * item) and costs no request.
 */
export function readTaskRefs(ctx: IExecuteFunctions, itemCount: number, by: LookUpBy): Array<Check<string>> {
	const { parameter, what } = BY[by];
	return Array.from({ length: itemCount }, (_, itemIndex) => {
		const ref = checkTaskId(ctx.getNodeParameter(parameter, itemIndex), what);
		if (!ref.ok && !ctx.continueOnFail()) {
			throw inputError(ctx, ref, itemIndex);
		}
		return ref;
	});
}

/** Fetches the task each item names, by task ID or external task ID. */
export async function lookUpTasks(
	ctx: IExecuteFunctions,
	client: KirinClient,
	itemCount: number,
	by: LookUpBy,
	concurrency: number,
): Promise<ItemResult[]> {
	const refs = readTaskRefs(ctx, itemCount, by);
	return await mapWithConcurrency(refs, concurrency, async (ref, itemIndex): Promise<ItemResult> => {
		if (!ref.ok) {
			return failed(ctx, inputError(ctx, ref, itemIndex));
		}
		const task = await settle(async () =>
			by === 'id'
				? await getTask(client, ref.value, itemIndex)
				: await getTaskByExternalId(client, ref.value, itemIndex),
		);
		return task.ok ? { ok: true, task: task.value } : failed(ctx, task.error);
	});
}
