import type { IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../../shared/api/client';
import { quotePrice } from '../../../shared/api/quotes';
import type { Claim } from '../../../shared/api/createOnce';
import { mapWithConcurrency, settle, type Settled } from '../../../shared/concurrency';
import type { Check } from '../../../shared/input/check';
import type { Claims } from '../claims';
import { createRequestFor, type PreparedCreate } from '../createInputs';
import { failed, type FailedResult } from '../../actions/results';
import { inUsd } from './money';

/**
 * Every item's price before anything is created: the pre-charge route asked with exactly the body
 * the create would send. With `claims` (Create's spend limits) a task made for an item before is
 * reused and costs nothing, and the others are priced under the external task ID they will be
 * created under. (With Pause, the callback URL is not in the quote: it is made after it, and
 * carries it.)
 */
export type ItemPrice =
	/** Its inputs failed their checks (Continue On Fail): nothing is asked, nothing created. */
	| { kind: 'not-asked' }
	/** Asking failed in a way the create would too (Continue On Fail): the item fails. */
	| { kind: 'failed'; result: FailedResult }
	| { kind: 'reused'; claim: Claim }
	| { kind: 'priced'; usd: number; discount: number | null; claim?: Claim }
	| { kind: 'unknown'; reason: string; claim?: Claim };

export async function priceItems(
	ctx: IExecuteFunctions,
	client: KirinClient,
	prepared: ReadonlyArray<Check<PreparedCreate>>,
	concurrency: number,
	claims: Claims | null,
): Promise<ItemPrice[]> {
	const fail = (error: unknown): ItemPrice => ({ kind: 'failed', result: failed(ctx, error) });
	let noRoute: string | null = null;
	const price = async (entry: Check<PreparedCreate>, itemIndex: number): Promise<ItemPrice> => {
		if (!entry.ok) return { kind: 'not-asked' };
		const claimed = claims?.[itemIndex];
		if (claimed && !claimed.ok) return fail(claimed.error);
		const held = claimed?.value;
		if (held && 'reuse' in held) return { kind: 'reused', claim: held };
		if (noRoute !== null) return { kind: 'unknown', reason: noRoute, claim: held };
		const quoted = await settle(async () => {
			const request = createRequestFor(ctx, entry.value);
			return await quotePrice(
				client,
				held ? { ...request, externalTaskId: held.externalTaskId } : request,
				itemIndex,
			);
		});
		if (!quoted.ok) return fail(quoted.error);
		const quote = quoted.value;
		if (!quote.known && quote.noRoute) noRoute = quote.reason;
		const usd = inUsd(quote);
		return usd.known
			? { kind: 'priced', usd: usd.usd, discount: usd.discount, claim: held }
			: { kind: 'unknown', reason: usd.reason, claim: held };
	};
	// The first item is asked alone: a host without the route then says so once, not per item.
	const first = prepared.findIndex((entry, index) => entry.ok && !isReused(claims?.[index]));
	const firstPrice = first >= 0 ? await price(prepared[first], first) : null;
	const prices = await mapWithConcurrency(prepared, concurrency, async (entry, itemIndex) =>
		itemIndex === first && firstPrice ? firstPrice : await price(entry, itemIndex),
	);
	const failure = prices.find((entry) => entry.kind === 'failed');
	if (failure?.kind === 'failed' && !ctx.continueOnFail()) throw failure.result.error;
	return prices;
}

function isReused(claimed: Settled<Claim> | null | undefined): boolean {
	return Boolean(claimed?.ok && 'reuse' in claimed.value);
}
