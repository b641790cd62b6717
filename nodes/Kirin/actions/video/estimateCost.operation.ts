import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ADDITIONAL_PARAMETERS_OPTION, createInputFields, WATERMARK_OPTION } from '../../create/createFields';
import { prepareCreates } from '../../create/createInputs';
import { noteUncheckedModelFields } from '../../create/modelFields/readModelFields';
import { optionsField } from '../common/fields';
import { failedItemJson, inputError } from '../results';
import { connect, readRunOptions } from '../common/settings';
import { fromMicros, toMicros } from '../../create/spend/money';
import { priceItems, type ItemPrice } from '../../create/spend/priceItems';

/**
 * Estimate Cost: what Create would pay for each item, asked of Kirin's pre-charge route with the
 * body Create would send, after the same input checks. Nothing is created. Each item goes out as
 * it came in (its fields and binary, so a Create can follow) with its price added, and every item
 * also carries the run's total, so an If node can let all items through to Create, or none.
 */

const show = { operation: ['estimateCost'] };

export const description: INodeProperties[] = [
	...createInputFields(show),
	optionsField(show, [WATERMARK_OPTION, ADDITIONAL_PARAMETERS_OPTION], false),
];

function estimateJson(price: ItemPrice): IDataObject {
	if (price.kind === 'priced') {
		return { estimate: 'quoted', estimatedCost: price.usd, currency: 'USD', discount: price.discount };
	}
	// Estimate Cost claims nothing, so no item is "reused": every other item has no price.
	const reason = price.kind === 'unknown' ? price.reason : 'no price was asked';
	return { estimate: 'unknown', estimatedCost: null, currency: null, discount: null, estimateReason: reason };
}

/** The run's figures, on every item: the sum of the known prices, and how many items have none. */
function totals(prices: readonly ItemPrice[]): IDataObject {
	const priced = prices.filter((price) => price.kind === 'priced');
	const micros = priced.reduce((sum, price) => sum + toMicros(price.usd), 0);
	return {
		totalEstimatedCost: fromMicros(micros),
		pricedItems: priced.length,
		unknownItems: prices.filter((price) => price.kind === 'unknown').length,
	};
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const run = readRunOptions(this);
	const client = await connect(this, run);
	const prepared = await prepareCreates(this, items.length, client.callbackSecret);
	const prices = await priceItems(this, client, prepared, run.concurrency, null);
	const figures = totals(prices);

	const output = prices.map((price, itemIndex): INodeExecutionData => {
		const pairedItem = { item: itemIndex };
		const entry = prepared[itemIndex];
		if (!entry.ok) {
			const error = inputError(this, entry, itemIndex);
			return { json: failedItemJson(this.getNode(), error), pairedItem };
		}
		if (price.kind === 'failed') {
			return { json: failedItemJson(this.getNode(), price.result.error), pairedItem };
		}
		const { json, binary } = items[itemIndex];
		return {
			json: { ...json, ...estimateJson(price), ...figures },
			...(binary ? { binary } : {}),
			pairedItem,
		};
	});
	return noteUncheckedModelFields(output, prepared);
}
