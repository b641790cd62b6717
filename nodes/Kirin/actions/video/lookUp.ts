import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../../shared/api/client';
import { mapWithConcurrency, settle } from '../../../shared/concurrency';
import { checkTaskId } from '../../../shared/input/textRules';
import { failed, type ItemResult } from '../common/results';

/**
 * Fetches the task named by each item's `parameter` (a task ID or external task ID). A
 * malformed ID is the user's to fix and costs no request.
 */
export async function lookUpTasks(
	ctx: IExecuteFunctions,
	client: KirinClient,
	itemCount: number,
	parameter: string,
	what: string,
	concurrency: number,
): Promise<ItemResult[]> {
	const indexes = Array.from({ length: itemCount }, (_, index) => index);
	return await mapWithConcurrency(indexes, concurrency, async (itemIndex): Promise<ItemResult> => {
		const ref = checkTaskId(ctx.getNodeParameter(parameter, itemIndex), what);
		if (!ref.ok) {
			return failed(
				new NodeOperationError(ctx.getNode(), `${ref.reason} [item ${itemIndex}]`, { itemIndex }),
			);
		}
		const task = await settle(async () => await client.getTask(ref.value, itemIndex));
		return task.ok ? { ok: true, task: task.value } : failed(task.error);
	});
}
