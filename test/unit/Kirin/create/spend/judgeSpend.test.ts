import { judgeSpend, type ItemCost } from '../../../../../nodes/Kirin/create/spend/judgeSpend';
import type { SpendLimits } from '../../../../../nodes/Kirin/create/spend/limits';

const priced = (usd: number): ItemCost => ({ kind: 'priced', usd });
const unknown: ItemCost = { kind: 'unknown', reason: 'no price at hand' };
const free: ItemCost = { kind: 'free' };

type LimitsGiven = Partial<Omit<SpendLimits, 'perVideoUsd'>> & { perVideoUsd?: number | number[] };

/** A single number for Max Cost per Video is the same cap for every item (up to 20). */
function limits({ perVideoUsd, ...overrides }: LimitsGiven): SpendLimits {
	const perVideo =
		typeof perVideoUsd === 'number' ? Array<number>(20).fill(perVideoUsd) : (perVideoUsd ?? null);
	return { perVideoUsd: perVideo, perRunUsd: null, whenUnknown: 'stop', ...overrides };
}

function refusedItems(verdict: ReturnType<typeof judgeSpend>): number[] {
	if ('stop' in verdict) throw new Error(`stopped: ${verdict.stop.message}`);
	return verdict.refused.flatMap((refusal, index) => (refusal ? [index] : []));
}

describe('judgeSpend without Continue On Fail', () => {
	it('lets a run through at exactly its limit', () => {
		expect(refusedItems(judgeSpend(Array(10).fill(priced(0.35)), limits({ perRunUsd: 3.5 }), false))).toEqual(
			[],
		);
	});

	it('stops a run over its limit, with the total, the cap and what the total is made of', () => {
		const costs = [priced(0.35), free, priced(0.7), unknown, null];
		const verdict = judgeSpend(costs, limits({ perRunUsd: 1, whenUnknown: 'goAhead' }), false);
		expect(verdict).toEqual({
			stop: {
				message:
					'This run would cost $1.05 for 2 new videos (1 more without a price, counted as $0; 1 reused at no cost), over Max Cost for This Run ($1.00), so nothing was created',
				description: expect.stringContaining(
					'Prices: item 0 $0.35, item 1 $0 (reused), item 2 $0.70, item 3 unknown.',
				),
			},
		});
	});

	it('stops on the first video over its own limit, counting the others', () => {
		const verdict = judgeSpend(
			[priced(0.35), priced(0.7), priced(0.7), priced(0.9)],
			limits({ perVideoUsd: 0.5 }),
			false,
		);
		expect('stop' in verdict && verdict.stop).toMatchObject({
			message:
				'Item 1 would cost $0.70, over Max Cost per Video ($0.50), as would 2 more items, so nothing was created',
			itemIndex: 1,
		});
	});

	it('stops on an unknown price by default, and not with Go Ahead', () => {
		const costs = [priced(0.35), unknown];
		const verdict = judgeSpend(costs, limits({ perRunUsd: 10 }), false);
		expect('stop' in verdict && verdict.stop.message).toBe(
			'Kirin gave no price for item 1 (no price at hand), and When the Price Is Unknown is Stop, so nothing was created',
		);
		expect(refusedItems(judgeSpend(costs, limits({ perRunUsd: 10, whenUnknown: 'goAhead' }), false))).toEqual(
			[],
		);
	});

	it("holds each video to its own item's Max Cost per Video", () => {
		const costs = [priced(3.5), priced(3.5)];
		expect(refusedItems(judgeSpend(costs, limits({ perVideoUsd: [5, 4] }), false))).toEqual([]);
		expect('stop' in judgeSpend(costs, limits({ perVideoUsd: [5, 1] }), false) && true).toBe(true);
		const verdict = judgeSpend(costs, limits({ perVideoUsd: [1, 5] }), false);
		expect('stop' in verdict && verdict.stop).toMatchObject({
			message: 'Item 0 would cost $3.50, over Max Cost per Video ($1.00), so nothing was created',
			itemIndex: 0,
		});
	});

	it('holds an item with no cap of its own in a capped run to $0 (never "no limit")', () => {
		const verdict = judgeSpend([priced(0.35), priced(0.35)], limits({ perVideoUsd: [1] }), false);
		expect('stop' in verdict && verdict.stop.itemIndex).toBe(1);
	});

	it('never refuses a reused video, even under a limit of $0', () => {
		expect(refusedItems(judgeSpend([free, free], limits({ perRunUsd: 0, perVideoUsd: 0 }), false))).toEqual(
			[],
		);
	});
});

describe('judgeSpend with Continue On Fail', () => {
	it('fails only the videos over their own limit or without a price', () => {
		const verdict = judgeSpend(
			[priced(0.35), priced(0.7), unknown, free],
			limits({ perVideoUsd: 0.5 }),
			true,
		);
		expect(refusedItems(verdict)).toEqual([1, 2]);
		expect('refused' in verdict && verdict.refused[1]?.message).toBe(
			'This video would cost $0.70, over Max Cost per Video ($0.50), so it was not created',
		);
	});

	it("fails only the video over its own item's cap", () => {
		const verdict = judgeSpend([priced(3.5), priced(3.5)], limits({ perVideoUsd: [5, 1] }), true);
		expect(refusedItems(verdict)).toEqual([1]);
		expect('refused' in verdict && verdict.refused[1]?.message).toBe(
			'This video would cost $3.50, over Max Cost per Video ($1.00), so it was not created',
		);
	});

	it('fills the run limit in item order; a later, cheaper video may still fit', () => {
		const costs = [priced(0.35), priced(0.7), priced(0.35), priced(0.35)];
		const verdict = judgeSpend(costs, limits({ perRunUsd: 1 }), true);
		expect(refusedItems(verdict)).toEqual([1, 3]);
		expect('refused' in verdict && verdict.refused[1]?.message).toBe(
			'This video ($0.70) would take the run to $1.05, over Max Cost for This Run ($1.00), so it was not created',
		);
	});

	it('skips items that are not created anyway', () => {
		expect(refusedItems(judgeSpend([null, priced(0.35)], limits({ perRunUsd: 0.35 }), true))).toEqual([]);
	});
});
