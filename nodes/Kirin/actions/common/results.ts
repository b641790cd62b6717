import {
	NodeOperationError,
	type IBinaryData,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { taskJson, type KirinTask } from '../../../shared/api/parse';

/** Where one input item stands while the operation works on it. */
export type ItemResult =
	| { ok: true; task: KirinTask; video?: IBinaryData; timedOut?: boolean }
	| { ok: false; error: Error; task?: KirinTask };

export type OkResult = Extract<ItemResult, { ok: true }>;

/** An input the user must fix, named with its item index; raised before any request. */
export function inputError(ctx: IExecuteFunctions, reason: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${reason} [item ${itemIndex}]`, { itemIndex });
}

export function failed(error: unknown, task?: KirinTask): ItemResult {
	return { ok: false, error: error instanceof Error ? error : new Error(String(error)), task };
}

/**
 * Turns per-item results into output items, in input order, each paired with its input item.
 * Without "Continue On Fail" the first failed item's error stops the node (after every
 * item has been attempted, so a retry finds the tasks already created).
 */
export function toOutputItems(
	ctx: IExecuteFunctions,
	results: readonly ItemResult[],
	binaryProperty: string,
): INodeExecutionData[] {
	const firstFailure = results.find((result) => !result.ok);
	if (firstFailure && !firstFailure.ok && !ctx.continueOnFail()) {
		if (firstFailure.error instanceof NodeOperationError || 'httpCode' in firstFailure.error) {
			throw firstFailure.error;
		}
		throw new NodeOperationError(ctx.getNode(), firstFailure.error);
	}
	return results.map((result, index) => {
		const pairedItem = { item: index };
		if (!result.ok) {
			const json = result.task ? taskJson(result.task) : {};
			return { json: { ...json, error: result.error.message }, pairedItem };
		}
		const json = taskJson(result.task);
		if (result.timedOut) json.timedOut = true;
		const item: INodeExecutionData = { json, pairedItem };
		if (result.video) item.binary = { [binaryProperty]: result.video };
		return item;
	});
}
