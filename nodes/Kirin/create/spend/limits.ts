import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	optionChoice,
	optionNumber,
	readOptionsOf,
	type ChoiceRule,
	type OptionsCollection,
} from '../../actions/common/options';
import { inputError } from '../../actions/results';
import type { Refusal } from '../../../shared/input/check';
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
			"Before creating anything, the node asks Kirin the price of every video; if one would cost more than its item's limit, it creates nothing. Read for every item: each video is held to its own item's value (for example an expression reading a budget column), and an item where it is empty stops the node. With Continue On Fail only the videos over their limit fail, and those whose expression fails.",
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

/** The spend options, by the labels their errors name. */
const SPEND_LABELS = {
	maxCostPerVideo: 'Max Cost per Video',
	maxCostPerRun: 'Max Cost for This Run',
	whenPriceUnknown: 'When the Price Is Unknown',
};

const WHEN_UNKNOWN_RULE: ChoiceRule<WhenPriceUnknown> = {
	label: SPEND_LABELS.whenPriceUnknown,
	choices: { stop: 'Stop', goAhead: 'Go Ahead' },
	whenRemoved: 'stop',
};

/** One item's reading of the spend options. */
interface ItemSpend {
	itemIndex: number;
	perVideo: number | null;
	perRun: number | null;
	whenUnknown: WhenPriceUnknown;
}

/** The limits (null when none is set), and the items whose spend options could not be read. */
export interface SpendReading {
	limits: SpendLimits | null;
	/** Under Continue On Fail: each item whose spend option's expression failed, and why. */
	unreadable: ReadonlyMap<number, Refusal>;
}

/**
 * The limits set in Options, or null when there is none (then nothing is quoted). Every item is
 * read, before anything is quoted or created, but only for the spend options: another option's
 * expression that fails for an item is that item's own input error (createInputs.ts). A spend
 * option whose expression fails for an item fails that item only under Continue On Fail (it is
 * never created), and stops the node otherwise, naming the option and the item. A limit the user
 * added whose expression resolves to nothing for any item (an empty sheet cell) stops the node,
 * Continue On Fail or not: it is a setting, not the item's input, and an empty cap is never "no
 * limit". A run-wide setting that differs between the items read stops the node too.
 */
export function readSpendLimits(ctx: IExecuteFunctions, itemCount: number): SpendReading {
	const read: ItemSpend[] = [];
	const unreadable = new Map<number, Refusal>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const options = readOptionsOf(ctx, itemIndex, SPEND_LABELS);
		if (options.ok) read.push(readItemSpend(ctx, options.value, itemIndex));
		else if (ctx.continueOnFail()) unreadable.set(itemIndex, options);
		else throw inputError(ctx, options, itemIndex);
	}
	const perRunUsd = sameForEveryItem(
		ctx,
		SPEND_LABELS.maxCostPerRun,
		read,
		(item) => item.perRun,
		(usd) => (usd === null ? 'no limit' : formatUsd(usd)),
	);
	const unknown = sameForEveryItem(
		ctx,
		SPEND_LABELS.whenPriceUnknown,
		read,
		(item) => item.whenUnknown,
		(value) => WHEN_UNKNOWN_RULE.choices[value],
	);
	// Which options are added is the same for every item: a null here is never a missing value.
	const anyPerVideo = read.some((item) => item.perVideo !== null);
	if (!anyPerVideo && (perRunUsd ?? null) === null) return { limits: null, unreadable };
	const perVideo = new Array<number>(itemCount).fill(0);
	for (const item of read) perVideo[item.itemIndex] = item.perVideo ?? 0;
	const limits = {
		perVideoUsd: anyPerVideo ? perVideo : null,
		perRunUsd: perRunUsd ?? null,
		whenUnknown: unknown ?? 'stop',
	};
	return { limits, unreadable };
}

function readItemSpend(ctx: IExecuteFunctions, options: OptionsCollection, itemIndex: number): ItemSpend {
	const cap = (name: 'maxCostPerVideo' | 'maxCostPerRun') =>
		optionNumber(
			ctx,
			options,
			name,
			{
				label: SPEND_LABELS[name],
				min: 0,
				what: 'an amount of US dollars',
				whenRemoved: 'no limit',
				perItem: true,
			},
			itemIndex,
		) ?? null;
	return {
		itemIndex,
		perVideo: cap('maxCostPerVideo'),
		perRun: cap('maxCostPerRun'),
		whenUnknown: optionChoice(ctx, options, 'whenPriceUnknown', WHEN_UNKNOWN_RULE, itemIndex),
	};
}

/**
 * The one value every item read gives for a run-wide setting; the first item that differs from
 * the first one read stops the node.
 */
function sameForEveryItem<T>(
	ctx: IExecuteFunctions,
	label: string,
	items: readonly ItemSpend[],
	valueOf: (item: ItemSpend) => T,
	show: (value: T) => string,
): T | undefined {
	if (items.length === 0) return undefined;
	const key = (value: T) => (typeof value === 'number' ? toMicros(value) : value);
	const [first] = items;
	const other = items.find((item) => key(valueOf(item)) !== key(valueOf(first)));
	if (other === undefined) return valueOf(first);
	const { itemIndex } = other;
	throw new NodeOperationError(
		ctx.getNode(),
		`${label} must be the same for every item: item ${first.itemIndex} gives ${show(valueOf(first))}, item ${itemIndex} gives ${show(valueOf(other))} [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Nothing was sent to Kirin. ${label} is one setting for the whole run: enter one value, or an expression that gives the same value for every item. To give each video its own limit, use Max Cost per Video.`,
		},
	);
}
