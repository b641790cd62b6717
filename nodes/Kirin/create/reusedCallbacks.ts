import type { KirinClient } from '../../shared/api/client';
import { resendCallback } from '../../shared/api/callbackResend';
import { mapWithConcurrency } from '../../shared/concurrency';
import type { Check } from '../../shared/input/check';
import type { PreparedCreate } from './createInputs';
import type { ItemResult } from '../actions/results';

/**
 * A task reused from an earlier run calls back the URL that run gave it, and Kirin's task does
 * not say which URL that was. So whenever Create outputs a reused task and the item has a
 * Callback URL, the node posts the task there itself, as Kirin would (it may be the same URL: a
 * Kirin Trigger checks every callback with Kirin and starts once per task and status). The item
 * says so (`callbackResent`: true, or false when the URL could not be reached). A reused task
 * still being made, output without waiting, is posted as it is now: its later statuses go only
 * to the earlier run's URL.
 */
export async function resendReusedCallbacks(
	client: KirinClient,
	prepared: ReadonlyArray<Check<PreparedCreate>>,
	results: ItemResult[],
	concurrency: number,
): Promise<ItemResult[]> {
	return await mapWithConcurrency(results, concurrency, async (result, itemIndex) => {
		const entry = prepared[itemIndex];
		const url = entry?.ok ? entry.value.inputs.callbackUrl : undefined;
		if (!result.ok || !result.reused || !url) return result;
		return { ...result, callbackResent: await resendCallback(client, url, result.task) };
	});
}
