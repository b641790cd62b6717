import type { SpendLimits } from './limits';
import { formatUsd, fromMicros, toMicros } from './money';

/**
 * The spend limits' verdict on a run, from every item's price, before anything is created. Pure:
 * the figures in, the decision and its sentences out.
 *
 * Each video is held to its own item's Max Cost per Video (the caps come per item). Without
 * Continue On Fail a run is all or nothing: one video over its Max Cost per Video, one
 * without a price (when that stops), or a total over Max Cost for This Run stops the node and
 * nothing is created. With Continue On Fail those videos fail on their own and the rest go on;
 * the run's limit is then filled in item order, and a video that would take the total over it
 * fails (a later, cheaper one may still fit).
 */

/** What an item will cost: nothing (reused from an earlier run), a price in dollars, or unknown. */
export type ItemCost =
	| { kind: 'free' }
	| { kind: 'priced'; usd: number }
	| { kind: 'unknown'; reason: string };

/** Why an item (or the run) is not created: one sentence with the figures, then what to do. */
export interface Refusal {
	message: string;
	description: string;
	/** The item concerned; none when the run as a whole is over its limit. */
	itemIndex?: number;
}

export type Verdict =
	| { stop: Refusal }
	/** Per item, why it is not created; undefined for the items that go ahead. */
	| { refused: Array<Refusal | undefined> };

const ESTIMATE_HINT = 'Estimate Cost shows what each item would cost without creating anything.';

/** The item's own Max Cost per Video; an item without one in a capped run gets $0 (fail closed). */
function capOf(limits: SpendLimits, itemIndex: number): number | null {
	return limits.perVideoUsd === null ? null : (limits.perVideoUsd[itemIndex] ?? 0);
}

/** The reason an item may not go ahead on its own, whatever the others cost. */
function itemOverLimit(
	cost: ItemCost,
	limits: SpendLimits,
	itemIndex: number,
): 'per-video' | 'unknown' | null {
	const cap = capOf(limits, itemIndex);
	if (cost.kind === 'priced' && cap !== null && toMicros(cost.usd) > toMicros(cap)) {
		return 'per-video';
	}
	if (cost.kind === 'unknown' && limits.whenUnknown === 'stop') return 'unknown';
	return null;
}

function more(count: number, what: string): string {
	if (count === 0) return '';
	return count === 1 ? `, as would 1 more ${what}` : `, as would ${count} more ${what}s`;
}

function pricesList(costs: ReadonlyArray<ItemCost | null>): string {
	const named = costs.flatMap((cost, index) => {
		if (cost === null) return [];
		if (cost.kind === 'free') return [`item ${index} $0 (reused)`];
		if (cost.kind === 'unknown') return [`item ${index} unknown`];
		return [`item ${index} ${formatUsd(cost.usd)}`];
	});
	const shown = named.slice(0, 20).join(', ');
	return named.length > 20 ? `${shown} and ${named.length - 20} more` : shown;
}

const PER_VIDEO_ADVICE =
	'Raise Options → Max Cost per Video, or ask for less (a 5-second video costs less than a 10-second one).';
const UNKNOWN_ADVICE =
	'Set Options → When the Price Is Unknown to Go Ahead to create anyway (an unknown price then counts as $0 toward Max Cost for This Run), or remove the Max Cost options.';
const PER_RUN_ADVICE =
	'Raise Options → Max Cost for This Run if you mean to spend this much, or send fewer items.';

/** The whole run stops: the first item over its own limit, else the total over the run's. */
function stopVerdict(
	costs: ReadonlyArray<ItemCost | null>,
	limits: SpendLimits,
	over: Array<'per-video' | 'unknown' | null>,
): Verdict | null {
	const perVideo = over.flatMap((reason, index) => (reason === 'per-video' ? [index] : []));
	if (perVideo.length > 0) {
		const first = perVideo[0];
		const cost = costs[first] as Extract<ItemCost, { kind: 'priced' }>;
		return {
			stop: {
				message: `Item ${first} would cost ${formatUsd(cost.usd)}, over Max Cost per Video (${formatUsd(capOf(limits, first) ?? 0)})${more(perVideo.length - 1, 'item')}, so nothing was created`,
				description: `${PER_VIDEO_ADVICE} ${ESTIMATE_HINT}`,
				itemIndex: first,
			},
		};
	}
	const unknown = over.flatMap((reason, index) => (reason === 'unknown' ? [index] : []));
	if (unknown.length > 0) {
		const first = unknown[0];
		const cost = costs[first] as Extract<ItemCost, { kind: 'unknown' }>;
		const which = unknown.length === 1 ? `item ${first}` : `${unknown.length} items (item ${first}: `;
		const reason = unknown.length === 1 ? ` (${cost.reason})` : `${cost.reason})`;
		return {
			stop: {
				message: `Kirin gave no price for ${which}${reason}, and When the Price Is Unknown is Stop, so nothing was created`,
				description: UNKNOWN_ADVICE,
				itemIndex: first,
			},
		};
	}
	return null;
}

/** Sums the run's costs, in millionths of a dollar; an unknown price counts as nothing. */
export function totalMicros(costs: ReadonlyArray<ItemCost | null>): number {
	return costs.reduce((sum, cost) => sum + (cost?.kind === 'priced' ? toMicros(cost.usd) : 0), 0);
}

function runSummary(costs: ReadonlyArray<ItemCost | null>): string {
	const count = (kind: ItemCost['kind']) => costs.filter((cost) => cost?.kind === kind).length;
	const [priced, unknown, free] = [count('priced'), count('unknown'), count('free')];
	const videos = `${priced} new video${priced === 1 ? '' : 's'}`;
	const extras = [
		unknown > 0 ? `${unknown} more without a price, counted as $0` : '',
		free > 0 ? `${free} reused at no cost` : '',
	].filter(Boolean);
	return extras.length > 0 ? `${videos} (${extras.join('; ')})` : videos;
}

/**
 * The verdict on a run. `costs`: per item, its cost, or null for an item that is not created
 * anyway (its inputs failed their checks, or pricing it failed under Continue On Fail).
 */
export function judgeSpend(
	costs: ReadonlyArray<ItemCost | null>,
	limits: SpendLimits,
	continueOnFail: boolean,
): Verdict {
	const over = costs.map((cost, itemIndex) =>
		cost === null ? null : itemOverLimit(cost, limits, itemIndex),
	);
	if (!continueOnFail) {
		const stopped = stopVerdict(costs, limits, over);
		if (stopped) return stopped;
		const total = totalMicros(costs);
		if (limits.perRunUsd !== null && total > toMicros(limits.perRunUsd)) {
			return {
				stop: {
					message: `This run would cost ${formatUsd(fromMicros(total))} for ${runSummary(costs)}, over Max Cost for This Run (${formatUsd(limits.perRunUsd)}), so nothing was created`,
					description: `${PER_RUN_ADVICE} Prices: ${pricesList(costs)}.`,
				},
			};
		}
		return { refused: costs.map(() => undefined) };
	}

	let spent = 0;
	const refused = costs.map((cost, itemIndex): Refusal | undefined => {
		if (cost === null) return undefined;
		const reason = over[itemIndex];
		if (reason === 'per-video' && cost.kind === 'priced') {
			return {
				message: `This video would cost ${formatUsd(cost.usd)}, over Max Cost per Video (${formatUsd(capOf(limits, itemIndex) ?? 0)}), so it was not created`,
				description: `${PER_VIDEO_ADVICE} ${ESTIMATE_HINT}`,
				itemIndex,
			};
		}
		if (reason === 'unknown' && cost.kind === 'unknown') {
			return {
				message: `Kirin gave no price for this video (${cost.reason}), and When the Price Is Unknown is Stop, so it was not created`,
				description: UNKNOWN_ADVICE,
				itemIndex,
			};
		}
		if (cost.kind !== 'priced') return undefined;
		const after = spent + toMicros(cost.usd);
		if (limits.perRunUsd !== null && after > toMicros(limits.perRunUsd)) {
			return {
				message: `This video (${formatUsd(cost.usd)}) would take the run to ${formatUsd(fromMicros(after))}, over Max Cost for This Run (${formatUsd(limits.perRunUsd)}), so it was not created`,
				description: `${PER_RUN_ADVICE} The videos created before it in this run come to ${formatUsd(fromMicros(spent))}.`,
				itemIndex,
			};
		}
		spent = after;
		return undefined;
	});
	return { refused };
}
