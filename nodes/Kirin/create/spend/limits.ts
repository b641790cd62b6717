import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { optionNumber, readOptions, type OptionsCollection } from '../../actions/common/options';
import { formatUsd, toMicros } from './money';

/**
 * Create's spend limits (Options): the most one video and the whole run may cost, and what to do
 * when Kirin cannot quote a price. Every item's value is read: Max Cost per Video is each item's
 * own (`{{ $json.budget }}`), the other two are one setting for the run, so items that disagree
 * stop the node rather than one of them silently winning.
 */

export type WhenPriceUnknown = 'stop' | 'goAhead';

export interface SpendLimits {
	/** Per item, the most its video may cost; null when the option is not set. */
	perVideoUsd: readonly number[] | null;
	perRunUsd: number | null;
	whenUnknown: WhenPriceUnknown;
}

export const SPEND_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Max Cost per Video (USD)',
		name: 'maxCostPerVideo',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 1,
		description:
			"Before creating anything, the node asks Kirin the price of every video; if one would cost more than its item's limit, it creates nothing. Read for every item: each video is held to its own item's value (for example an expression reading a budget column), and an item where it is empty stops the node. With Continue On Fail only the videos over their limit fail.",
	},
	{
		displayName: 'Max Cost for This Run (USD)',
		name: 'maxCostPerRun',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 10,
		description:
			'Before creating anything, the node asks Kirin the price of every video; if together they would cost more than this, it creates nothing. Videos reused from an earlier run count as $0. With Continue On Fail, videos are created in item order while the total stays within it, and the rest fail. The limit is per run of this node: inside Loop Over Items, or as a tool of an AI Agent, each pass has its own. It must be the same for every item (the node stops if items give different values).',
	},
	{
		displayName: 'When the Price Is Unknown',
		name: 'whenPriceUnknown',
		type: 'options',
		options: [
			{
				name: 'Stop',
				value: 'stop',
				description: 'Create nothing (with Continue On Fail, only the videos without a price fail)',
			},
			{
				name: 'Go Ahead',
				value: 'goAhead',
				description: 'Create them anyway; a video without a price counts as $0 toward Max Cost for This Run',
			},
		],
		default: 'stop',
		description:
			'What a Max Cost does when Kirin cannot quote a video (a Kirin host without price quotes, or no price at hand). It must be the same for every item.',
	},
];

/**
 * The limits set in Options, or null when there is none (then nothing is quoted). Every item is
 * read, before anything is quoted or created. A limit the user added whose expression resolves to
 * nothing for any item (an empty sheet cell) stops the node, Continue On Fail or not: it is a
 * setting, not the item's input, and an empty cap is never "no limit". A run-wide setting that
 * differs between items stops the node too.
 */
export function readSpendLimits(ctx: IExecuteFunctions, itemCount: number): SpendLimits | null {
	const all = Array.from({ length: itemCount }, (_, itemIndex) => readOptions(ctx, itemIndex));
	const cap = (options: OptionsCollection, itemIndex: number, name: string, label: string) =>
		optionNumber(
			ctx,
			options,
			name,
			{ label, min: 0, what: 'an amount of US dollars', whenRemoved: 'no limit', perItem: true },
			itemIndex,
		) ?? null;
	const perVideo = all.map((options, itemIndex) =>
		cap(options, itemIndex, 'maxCostPerVideo', 'Max Cost per Video'),
	);
	const perRun = all.map((options, itemIndex) =>
		cap(options, itemIndex, 'maxCostPerRun', 'Max Cost for This Run'),
	);
	const whenUnknown = all.map((options, itemIndex) => readWhenUnknown(ctx, options, itemIndex));
	const perRunUsd = sameForEveryItem(ctx, 'Max Cost for This Run', perRun, (usd) =>
		usd === null ? 'no limit' : formatUsd(usd),
	);
	const unknown = sameForEveryItem(ctx, 'When the Price Is Unknown', whenUnknown, (value) =>
		value === 'goAhead' ? 'Go Ahead' : 'Stop',
	);
	const anyPerVideo = perVideo.some((usd) => usd !== null);
	if (!anyPerVideo && perRunUsd === null) return null;
	// Which options are added is the same for every item: a null here is never a missing value.
	const perVideoUsd = anyPerVideo ? perVideo.map((usd) => usd ?? 0) : null;
	return { perVideoUsd, perRunUsd: perRunUsd ?? null, whenUnknown: unknown ?? 'stop' };
}

function readWhenUnknown(
	ctx: IExecuteFunctions,
	options: OptionsCollection,
	itemIndex: number,
): WhenPriceUnknown {
	if (!Object.hasOwn(options, 'whenPriceUnknown')) return 'stop';
	const value = options.whenPriceUnknown;
	if (value === 'stop' || value === 'goAhead') return value;
	const shown = value === undefined || value === null || value === '' ? 'empty' : `"${String(value)}"`;
	throw new NodeOperationError(ctx.getNode(), `When the Price Is Unknown is ${shown} [item ${itemIndex}]`, {
		itemIndex,
		description: `Nothing was sent to Kirin. Choose Stop or Go Ahead (an expression must give "stop" or "goAhead" for item ${itemIndex}), or remove the option (Stop).`,
	});
}

/** The one value every item gives for a run-wide setting; the first item that differs stops the node. */
function sameForEveryItem<T>(
	ctx: IExecuteFunctions,
	label: string,
	values: readonly T[],
	show: (value: T) => string,
): T | undefined {
	if (values.length === 0) return undefined;
	const key = (value: T) => (typeof value === 'number' ? toMicros(value) : value);
	const itemIndex = values.findIndex((value) => key(value) !== key(values[0]));
	if (itemIndex < 0) return values[0];
	throw new NodeOperationError(
		ctx.getNode(),
		`${label} must be the same for every item: item 0 gives ${show(values[0])}, item ${itemIndex} gives ${show(values[itemIndex])} [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Nothing was sent to Kirin. ${label} is one setting for the whole run: enter one value, or an expression that gives the same value for every item. To give each video its own limit, use Max Cost per Video.`,
		},
	);
}
