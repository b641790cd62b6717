import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../../shared/api/client';
import type { Claim } from '../../../shared/api/createOnce';
import type { Check } from '../../../shared/input/check';
import { heldClaim, type Claims } from '../claims';
import type { PreparedCreate } from '../createInputs';
import { judgeSpend, totalMicros, type ItemCost, type Refusal } from './judgeSpend';
import type { SpendLimits } from './limits';
import { formatUsd, fromMicros } from './money';
import { priceItems, type ItemPrice } from './priceItems';

/**
 * Create's spend gate, between reading the items and creating their tasks: with a Max Cost set,
 * every item (claimed already) is priced first, the limits judge the run, and either the node
 * stops before any create, or each item is let through (or refused, under Continue On Fail) as
 * judged, on its claim. Without a Max Cost nothing is asked and every item passes. The gate
 * never creates anything itself: create.operation.ts sends each create it lets through.
 */

/** What an item the gate lets through goes ahead on. */
export interface Admission {
	/** The item's claim, made before pricing (undefined when it was not claimed up front). */
	claim: Claim | undefined;
	/** The price quoted before the create, in USD: 0 for a reused task, null when not known or not asked. */
	estimatedCost: number | null;
}

export interface SpendGate {
	/** Each item's price as quoted (see Admission.estimatedCost). */
	estimates: Array<number | null>;
	/** Lets an item through; throws its refusal by the limits, or its failed price or claim. */
	admit(itemIndex: number): Admission;
}

/** No limits: nothing is priced, every item goes ahead on its claim (if it was claimed). */
function open(itemCount: number, claims: Claims | null): SpendGate {
	return {
		estimates: new Array<number | null>(itemCount).fill(null),
		admit: (itemIndex) => ({ claim: heldClaim(claims, itemIndex), estimatedCost: null }),
	};
}

function costOf(price: ItemPrice): ItemCost | null {
	switch (price.kind) {
		case 'reused':
			return { kind: 'free' };
		case 'priced':
			return { kind: 'priced', usd: price.usd };
		case 'unknown':
			return { kind: 'unknown', reason: price.reason };
		default:
			return null;
	}
}

function estimateOf(price: ItemPrice): number | null {
	if (price.kind === 'reused') return 0;
	return price.kind === 'priced' ? price.usd : null;
}

function refusalError(ctx: IExecuteFunctions, refusal: Refusal, perItem: boolean): NodeOperationError {
	const where = perItem && refusal.itemIndex !== undefined ? ` [item ${refusal.itemIndex}]` : '';
	return new NodeOperationError(ctx.getNode(), `${refusal.message}${where}`, {
		description: refusal.description,
		itemIndex: refusal.itemIndex,
	});
}

/** `claims` are needed (claimAll) when there are limits: a reused video is not priced. */
export async function spendGate(
	ctx: IExecuteFunctions,
	client: KirinClient,
	prepared: ReadonlyArray<Check<PreparedCreate>>,
	run: { limits: SpendLimits | null; claims: Claims | null; concurrency: number },
): Promise<SpendGate> {
	const { limits, claims, concurrency } = run;
	if (limits === null) return open(prepared.length, claims);
	const prices = await priceItems(ctx, client, prepared, concurrency, claims);
	const costs = prices.map(costOf);
	ctx.logger.debug(`Kirin quoted this run at ${formatUsd(fromMicros(totalMicros(costs)))} before creating`, {
		executionId: ctx.getExecutionId(),
		items: prices.length,
	});
	const verdict = judgeSpend(costs, limits, ctx.continueOnFail());
	if ('stop' in verdict) throw refusalError(ctx, verdict.stop, false);
	return {
		estimates: prices.map(estimateOf),
		admit(itemIndex) {
			const price = prices[itemIndex];
			if (price.kind === 'failed') throw price.result.error;
			const refusal = verdict.refused[itemIndex];
			if (refusal) throw refusalError(ctx, refusal, true);
			return { claim: 'claim' in price ? price.claim : undefined, estimatedCost: estimateOf(price) };
		},
	};
}
