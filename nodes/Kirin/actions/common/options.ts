import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { accept, refuse, type Check } from '../../../shared/input/check';
import { MAX_SLEEP_MS } from '../../../shared/transport/sleep';

/**
 * The one reader of the Options collection and of the node's number settings. Fail closed: an
 * option the user added is in the collection even when its expression resolved to nothing
 * (`{{ $json.budget }}` over an item without `budget`), and such a value is an error, never
 * "no limit" or a default. A value out of its range is refused with a sentence giving the range.
 * Each reader asks only for the options it needs, each resolving its own expression: one option
 * that fails for an item never stops the read of another.
 */

/** The Options collection as n8n hands it over: only the options the user added. */
export type OptionsCollection = Readonly<Record<string, unknown>>;

/** The options one reader needs: each one's name → its label, as the user sees it in the editor. */
export type OptionLabels = Readonly<Record<string, string>>;

/** Which options the user added: the same for every item, seen without resolving any expression. */
function addedOptions(ctx: IExecuteFunctions): OptionsCollection {
	const raw: unknown = ctx.getNodeParameter('options', 0, {}, { rawExpressions: true });
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return raw as OptionsCollection;
	// The whole collection as one expression (only by editing the workflow's JSON): which limits it
	// sets cannot be known per option, and dropping them would switch a spend cap off.
	if (typeof raw === 'string' && raw.startsWith('=')) {
		throw new NodeOperationError(ctx.getNode(), 'Options is one expression, which this node cannot read', {
			description:
				'Nothing was sent to Kirin. Add each option on its own (Add Option) and give each its own expression where needed.',
		});
	}
	return {};
}

/**
 * The options in `labels` that the user added, as one item resolves them. Each resolves only its
 * own expression, so another option's expression that fails for this item (a Callback URL built
 * from a field the item lacks) cannot stop this read; one of these that fails is refused, naming
 * it and the item, so that it fails this item only where the caller allows.
 */
export function readOptionsOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	labels: OptionLabels,
): Check<OptionsCollection> {
	const added = addedOptions(ctx);
	const options: Record<string, unknown> = {};
	for (const [name, label] of Object.entries(labels)) {
		if (!Object.hasOwn(added, name)) continue;
		try {
			options[name] = ctx.getNodeParameter(`options.${name}`, itemIndex);
		} catch (error) {
			const why = error instanceof Error ? error.message : String(error);
			return refuse(
				`${label} could not be read: its expression failed for this item (${why})`,
				`Nothing was sent to Kirin for this item. Fix the expression of Options → ${label} so that it works for item ${itemIndex} (it may read a field this item lacks, or one it cannot convert), or remove the option.`,
			);
		}
	}
	return accept(options);
}

/** Like readOptionsOf, but an option whose expression fails stops the node: for run settings. */
export function readOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	labels: OptionLabels,
): OptionsCollection {
	const read = readOptionsOf(ctx, itemIndex, labels);
	if (read.ok) return read.value;
	throw new NodeOperationError(ctx.getNode(), `${read.reason} [item ${itemIndex}]`, {
		itemIndex,
		description: read.fix,
	});
}

/** The longest wait the node's timer keeps (see MAX_SLEEP_MS), in whole seconds and minutes. */
export const MAX_TIMER_SECONDS = Math.floor(MAX_SLEEP_MS / 1000);
export const MAX_TIMER_MINUTES = Math.floor(MAX_SLEEP_MS / 60_000);

export interface NumberRule {
	/** The field's name as the user sees it. */
	label: string;
	min: number;
	/** Whether `min` itself is refused (a time limit of 0). */
	minExclusive?: boolean;
	max?: number;
	/** The unit after a number in the range sentence ("minutes"), if any. */
	unit?: string;
	/** What a value must be, in the error ("a number" unless said: "an amount of US dollars"). */
	what?: string;
	/** What leaving the option out does, for the fix (options only). */
	whenRemoved?: string;
	/** Whether the setting is read for every item (a per-item cap), not from the first item only. */
	perItem?: boolean;
}

const format = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 4 });

function rangeSentence(rule: NumberRule): string {
	const unit = rule.unit ? ` ${rule.unit}` : '';
	const from = rule.minExclusive ? `more than ${format(rule.min)}` : `${format(rule.min)}`;
	if (rule.max === undefined) return `${rule.minExclusive ? from : `${from} or more`}${unit}`;
	return `${rule.minExclusive ? `${from} and at most` : `between ${from} and`} ${format(rule.max)}${unit}`;
}

function settingError(
	ctx: IExecuteFunctions,
	rule: NumberRule,
	itemIndex: number,
	problem: string,
): NodeOperationError {
	const removed = rule.whenRemoved ? `, or remove ${rule.label} from the options (${rule.whenRemoved})` : '';
	const readFrom = rule.perItem
		? 'it is read for every item'
		: 'the node reads its run settings from the first item';
	return new NodeOperationError(ctx.getNode(), `${rule.label} ${problem} [item ${itemIndex}]`, {
		itemIndex,
		description: `Nothing was sent to Kirin. Enter a number ${rangeSentence(rule)}${removed}. If it comes from an expression, check that it gives a number for item ${itemIndex} (${readFrom}).`,
	});
}

/**
 * A number setting, checked: empty, null, not a number, or out of range is an error naming the
 * setting and the item. `value` is what n8n resolved.
 */
export function checkNumber(
	ctx: IExecuteFunctions,
	value: unknown,
	rule: NumberRule,
	itemIndex: number,
): number {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw settingError(ctx, rule, itemIndex, 'is empty');
	}
	const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
	if (!Number.isFinite(n)) {
		const problem = `is "${String(value)}", which is not ${rule.what ?? 'a number'}`;
		throw settingError(ctx, rule, itemIndex, problem);
	}
	const low = rule.minExclusive ? n <= rule.min : n < rule.min;
	if (low || (rule.max !== undefined && n > rule.max)) {
		throw settingError(
			ctx,
			rule,
			itemIndex,
			`is ${format(n)}${rule.unit ? ` ${rule.unit}` : ''}, out of range`,
		);
	}
	return n;
}

/**
 * An option's number: undefined when the user did not add the option; checked when they did
 * (an added option whose expression resolved to nothing is an error, not "not set").
 */
export function optionNumber(
	ctx: IExecuteFunctions,
	options: OptionsCollection,
	name: string,
	rule: NumberRule,
	itemIndex = 0,
): number | undefined {
	if (!Object.hasOwn(options, name)) return undefined;
	return checkNumber(ctx, options[name], rule, itemIndex);
}

/** A choice option's values, each with the name the user sees, and the one it takes when removed. */
export interface ChoiceRule<T extends string> {
	label: string;
	choices: Readonly<Record<T, string>>;
	whenRemoved: T;
}

/**
 * A choice option's value: `whenRemoved` when the user did not add it; one of its choices when
 * they did, and any other value (an expression giving something else, or nothing) an error
 * naming the option, the item and the values allowed, never a silent default.
 */
export function optionChoice<T extends string>(
	ctx: IExecuteFunctions,
	options: OptionsCollection,
	name: string,
	rule: ChoiceRule<T>,
	itemIndex: number,
): T {
	if (!Object.hasOwn(options, name)) return rule.whenRemoved;
	const value = options[name];
	const values = Object.keys(rule.choices) as T[];
	if (values.includes(value as T)) return value as T;
	const shown = value === undefined || value === null || value === '' ? 'empty' : `"${String(value)}"`;
	const names = values.map((choice) => rule.choices[choice]).join(' or ');
	const given = values.map((choice) => `"${choice}"`).join(' or ');
	throw new NodeOperationError(ctx.getNode(), `${rule.label} is ${shown} [item ${itemIndex}]`, {
		itemIndex,
		description: `Nothing was sent to Kirin. Choose ${names} (an expression must give ${given} for item ${itemIndex}), or remove the option (${rule.choices[rule.whenRemoved]}).`,
	});
}

/** An option's text (empty when not set): a value that is not text is read as text. */
export function optionText(options: OptionsCollection, name: string): string | undefined {
	const value = options[name];
	if (value === undefined || value === null) return undefined;
	return typeof value === 'string' ? value : String(value);
}

export function optionFlag(options: OptionsCollection, name: string): boolean {
	return options[name] === true || options[name] === 'true';
}
