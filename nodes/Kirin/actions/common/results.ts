import {
	NodeApiError,
	NodeOperationError,
	type IBinaryData,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { taskJson, type KirinTask } from '../../../shared/api/parse';

type NodeError = NodeApiError | NodeOperationError;

/** Where one input item stands while the operation works on it. */
export type ItemResult =
	| {
			ok: true;
			task: KirinTask;
			/** The task was made before this run (reused): nothing new was paid for. */
			reused?: boolean;
			video?: IBinaryData;
			timedOut?: boolean;
	  }
	| { ok: false; error: NodeError; task?: KirinTask };

export type OkResult = Extract<ItemResult, { ok: true }>;

/** An input the user must fix, named with its item index; raised before any request. */
export function inputError(ctx: IExecuteFunctions, reason: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${reason} [item ${itemIndex}]`, { itemIndex });
}

/** A failed item; anything thrown becomes an n8n node error, so n8n can route and show it. */
export function failed(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	task?: KirinTask,
): ItemResult {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error));
	return { ok: false, error: nodeError, task };
}

/** At most this many tasks are named in the node's error message; the rest are counted. */
const NAMED_TASKS = 20;

/**
 * The node's error when an item failed and the node does not continue: the first failure, then
 * every item's task and status, so no task that was paid for is hidden behind the failure.
 */
function stopError(results: readonly ItemResult[], first: Extract<ItemResult, { ok: false }>): NodeError {
	const tasks = results.flatMap((result, index) =>
		result.task ? [`item ${index} ${result.task.id} ${result.task.status}`] : [],
	);
	const error = first.error;
	if (tasks.length === 0) return error;
	const named = tasks.slice(0, NAMED_TASKS).join('; ');
	const more = tasks.length > NAMED_TASKS ? `; and ${tasks.length - NAMED_TASKS} more` : '';
	error.message = `${error.message} Tasks: ${named}${more}.`;
	return error;
}

/**
 * Turns per-item results into output items, in input order, each paired with its input item.
 * A failed item goes where the node's settings send it: with "Continue" it carries `error` (and
 * n8n's error output takes it with "Continue (using error output)"); otherwise the node stops
 * after every item has been attempted, so a re-run finds the tasks already made.
 */
export function toOutputItems(
	ctx: IExecuteFunctions,
	results: readonly ItemResult[],
	binaryProperty: string,
): INodeExecutionData[] {
	const firstFailure = results.find((result) => !result.ok);
	if (firstFailure && !firstFailure.ok && !ctx.continueOnFail()) {
		throw stopError(results, firstFailure);
	}
	return results.map((result, index) => {
		const pairedItem = { item: index };
		if (!result.ok) {
			const json = result.task ? taskJson(result.task) : {};
			return { json: { ...json, error: result.error.message }, error: result.error, pairedItem };
		}
		const json = taskJson(result.task);
		if (result.timedOut) json.timedOut = true;
		const item: INodeExecutionData = { json, pairedItem };
		if (result.video) item.binary = { [binaryProperty]: result.video };
		return item;
	});
}
