import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { KirinClient } from '../../../shared/api/client';
import { createTask, type CreateResult } from '../../../shared/api/createOnce';
import type { CreateTaskRequest } from '../../../shared/api/types';
import type { Check } from '../../../shared/input/check';
import { heldClaim, type Claims } from '../claims';
import type { PreparedCreate } from '../createInputs';
import { judgeSpend, totalMicros, type ItemCost, type Refusal } from './judgeSpend';
import type { SpendLimits } from './limits';
import { formatUsd, fromMicros } from './money';
import { priceItems, type ItemPrice } from './priceItems';

/**
 * Create's spend limits, between reading the items and creating their tasks: with a Max Cost set,
 * every item (claimed already) is priced first, the limits judge the run, and either the node
 * stops before any create, or each item's create goes ahead (or fails, under Continue On Fail)
 * as judged, on its claim. Without a Max Cost nothing is asked.
 */

export interface PlannedCreate extends CreateResult {
	/** The price quoted before the create, in USD: 0 for a reused task, null when not known or not asked. */
	estimatedCost: number | null;
}

export interface SpendPlan {
	/** Each item's price as quoted (see PlannedCreate.estimatedCost). */
	estimates: Array<number | null>;
	/** Creates an item's task as planned; an item refused by the limits throws its refusal. */
	createTask(client: KirinClient, request: CreateTaskRequest, itemIndex: number): Promise<PlannedCreate>;
}

/** No limits: nothing is priced, each create goes ahead on its claim (if it was claimed). */
function unlimited(itemCount: number, claims: Claims | null): SpendPlan {
	return {
		estimates: new Array<number | null>(itemCount).fill(null),
		async createTask(client, request, itemIndex) {
			const claim = heldClaim(claims, itemIndex);
			return { ...(await createTask(client, request, itemIndex, claim)), estimatedCost: null };
		},
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
export async function planSpend(
	ctx: IExecuteFunctions,
	client: KirinClient,
	prepared: ReadonlyArray<Check<PreparedCreate>>,
	run: { limits: SpendLimits | null; claims: Claims | null; concurrency: number },
): Promise<SpendPlan> {
	const { limits, claims, concurrency } = run;
	if (limits === null) return unlimited(prepared.length, claims);
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
		async createTask(client, request, itemIndex) {
			const price = prices[itemIndex];
			if (price.kind === 'failed') throw price.result.error;
			const refusal = verdict.refused[itemIndex];
			if (refusal) throw refusalError(ctx, refusal, true);
			const claim = 'claim' in price ? price.claim : undefined;
			const created = await createTask(client, request, itemIndex, claim);
			return { ...created, estimatedCost: estimateOf(price) };
		},
	};
}
