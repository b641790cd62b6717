import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

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

interface SpendOptions {
	maxCostPerVideo?: unknown;
	maxCostPerRun?: unknown;
	whenPriceUnknown?: unknown;
}

function readCap(ctx: IExecuteFunctions, value: unknown, name: string): number | null {
	if (value === undefined || value === null || value === '') return null;
	const usd = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isFinite(usd) || usd < 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${name} is "${String(value)}", which is not an amount of US dollars`,
			{
				description: `Enter an amount of 0 or more (for example 2.50), or remove ${name} from the options to set no limit.`,
			},
		);
	}
	return usd;
}

/** The limits set in Options, or null when there is none (then nothing is quoted). */
export function readSpendLimits(ctx: IExecuteFunctions): SpendLimits | null {
	const options = ctx.getNodeParameter('options', 0, {}) as SpendOptions;
	const perVideoUsd = readCap(ctx, options.maxCostPerVideo, 'Max Cost per Video');
	const perRunUsd = readCap(ctx, options.maxCostPerRun, 'Max Cost for This Run');
	if (perVideoUsd === null && perRunUsd === null) return null;
	return { perVideoUsd, perRunUsd, whenUnknown: options.whenPriceUnknown === 'goAhead' ? 'goAhead' : 'stop' };
}
