import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionNumber, readOptions } from '../../actions/common/options';

/**
 * Create's spend limits (Options): the most one video and the whole run may cost, and what to do
 * when Kirin cannot quote a price. Read once per run from item 0, like the other run settings:
 * the run's limit is one number for all its items.
 */

export type WhenPriceUnknown = 'stop' | 'goAhead';

export interface SpendLimits {
	perVideoUsd: number | null;
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
			'Before creating anything, the node asks Kirin the price of every video; if one would cost more than this, it creates nothing. With Continue On Fail only the videos over it fail.',
	},
	{
		displayName: 'Max Cost for This Run (USD)',
		name: 'maxCostPerRun',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 10,
		description:
			'Before creating anything, the node asks Kirin the price of every video; if together they would cost more than this, it creates nothing. Videos reused from an earlier run count as $0. With Continue On Fail, videos are created in item order while the total stays within it, and the rest fail. The limit is per run of this node: inside Loop Over Items, or as a tool of an AI Agent, each pass has its own.',
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
			'What a Max Cost does when Kirin cannot quote a video (a Kirin host without price quotes, or no price at hand)',
	},
];

/**
 * The limits set in Options, or null when there is none (then nothing is quoted). A limit the
 * user added whose expression resolves to nothing (an empty sheet cell) stops the node before
 * anything is quoted or created: an empty cap is never "no limit".
 */
export function readSpendLimits(ctx: IExecuteFunctions): SpendLimits | null {
	const options = readOptions(ctx, 0);
	const cap = (name: string, label: string) =>
		optionNumber(ctx, options, name, {
			label,
			min: 0,
			what: 'an amount of US dollars',
			whenRemoved: 'no limit',
		}) ?? null;
	const perVideoUsd = cap('maxCostPerVideo', 'Max Cost per Video');
	const perRunUsd = cap('maxCostPerRun', 'Max Cost for This Run');
	if (perVideoUsd === null && perRunUsd === null) return null;
	return { perVideoUsd, perRunUsd, whenUnknown: options.whenPriceUnknown === 'goAhead' ? 'goAhead' : 'stop' };
}
