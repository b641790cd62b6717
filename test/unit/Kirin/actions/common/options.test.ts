import type { IExecuteFunctions } from 'n8n-workflow';

import {
	checkNumber,
	MAX_TIMER_MINUTES,
	optionChoice,
	optionNumber,
	readOptionsOf,
	type NumberRule,
} from '../../../../../nodes/Kirin/actions/common/options';
import { MAX_SLEEP_MS } from '../../../../../nodes/shared/transport/sleep';
import { KIRIN_NODE } from '../../../../support/testNodes';

const ctx = { getNode: () => KIRIN_NODE } as unknown as IExecuteFunctions;
const cap: NumberRule = {
	label: 'Max Cost per Video',
	min: 0,
	what: 'an amount of US dollars',
	whenRemoved: 'no limit',
};
const limit: NumberRule = {
	label: 'Time Limit',
	min: 0,
	minExclusive: true,
	max: MAX_TIMER_MINUTES,
	unit: 'minutes',
};

function errorOf(run: () => unknown): Error & { description?: string } {
	try {
		run();
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('no error');
}

describe('the number settings fail closed', () => {
	it('an option not added is not set', () => {
		expect(optionNumber(ctx, {}, 'maxCostPerVideo', cap)).toBeUndefined();
	});

	it.each([[undefined], [null], [''], ['  ']])(
		'an added option that resolved to %p is an error naming it and the item',
		(value) => {
			const error = errorOf(() => optionNumber(ctx, { maxCostPerVideo: value }, 'maxCostPerVideo', cap, 0));
			expect(error.message).toBe('Max Cost per Video is empty [item 0]');
			expect(error.description).toContain('remove Max Cost per Video from the options (no limit)');
		},
	);

	it('reads numbers and numeric strings', () => {
		expect(optionNumber(ctx, { maxCostPerVideo: '2.50' }, 'maxCostPerVideo', cap)).toBe(2.5);
		expect(checkNumber(ctx, 20, limit, 0)).toBe(20);
	});

	it('refuses what is not a number', () => {
		expect(errorOf(() => checkNumber(ctx, 'abc', cap, 0)).message).toBe(
			'Max Cost per Video is "abc", which is not an amount of US dollars [item 0]',
		);
		expect(errorOf(() => checkNumber(ctx, NaN, limit, 0)).message).toBe(
			'Time Limit is "NaN", which is not a number [item 0]',
		);
	});

	it('refuses a value out of range with a sentence giving the range', () => {
		const negative = errorOf(() => checkNumber(ctx, -1, cap, 0));
		expect(negative.message).toBe('Max Cost per Video is -1, out of range [item 0]');
		expect(negative.description).toContain('Enter a number 0 or more');
		const zero = errorOf(() => checkNumber(ctx, 0, limit, 0));
		expect(zero.description).toContain('Enter a number more than 0 and at most 35,791 minutes');
		const tooLong = errorOf(() => checkNumber(ctx, 71_583, limit, 3));
		expect(tooLong.message).toBe('Time Limit is 71,583 minutes, out of range [item 3]');
	});

	it("the Time Limit's bound is the timer's: 2^31-1 ms, 35,791 whole minutes", () => {
		expect(MAX_SLEEP_MS).toBe(2_147_483_647);
		expect(MAX_TIMER_MINUTES).toBe(35_791);
		expect(checkNumber(ctx, 35_791, limit, 0)).toBe(35_791);
		expect(() => checkNumber(ctx, 35_792, limit, 0)).toThrow(/out of range/);
	});
});

describe('a choice option fails closed', () => {
	const rule = {
		label: 'If Kirin Cannot Reach the Callback URL',
		choices: { error: 'Stop With an Error', warn: 'Warn and Send It Anyway' },
		whenRemoved: 'warn' as const,
	};

	it('takes its choice when added, and the removed value when not', () => {
		expect(optionChoice(ctx, { unreachableCallback: 'error' }, 'unreachableCallback', rule, 0)).toBe('error');
		expect(optionChoice(ctx, {}, 'unreachableCallback', rule, 0)).toBe('warn');
	});

	it.each([
		['stop', '"stop"'],
		['', 'empty'],
		[undefined, 'empty'],
	])('refuses %p, naming the option, the item and the values allowed', (value, shown) => {
		const error = errorOf(() =>
			optionChoice(ctx, { unreachableCallback: value }, 'unreachableCallback', rule, 4),
		);
		expect(error.message).toBe(`If Kirin Cannot Reach the Callback URL is ${shown} [item 4]`);
		expect(error.description).toBe(
			'Nothing was sent to Kirin. Choose Stop With an Error or Warn and Send It Anyway (an expression must give "error" or "warn" for item 4), or remove the option (Warn and Send It Anyway).',
		);
	});
});

describe('which options were added', () => {
	/** A context whose Options parameter is `raw` before any expression is resolved. */
	const withOptions = (raw: unknown) =>
		({
			getNode: () => KIRIN_NODE,
			getNodeParameter: (name: string, _item: number, fallback: unknown) =>
				name === 'options' ? raw : fallback,
		}) as unknown as IExecuteFunctions;

	it('refuses an Options collection written as one expression rather than dropping its limits', () => {
		const ctx = withOptions('={{ { maxCostPerVideo: $json.cap } }}');
		const error = errorOf(() => readOptionsOf(ctx, 0, { maxCostPerVideo: 'Max Cost per Video' }));
		expect(error.message).toBe('Options is one expression, which this node cannot read');
		expect(error.description).toContain('Nothing was sent to Kirin');
	});

	it('reads only the options asked for, each as the item resolves it', () => {
		const ctx = {
			getNode: () => KIRIN_NODE,
			getNodeParameter: (name: string, item: number, fallback: unknown) => {
				if (name === 'options') return { maxCostPerVideo: '={{ $json.cap }}', callbackUrl: '={{ $json.x }}' };
				if (name === 'options.maxCostPerVideo') return item + 0.5;
				if (name === 'options.callbackUrl') throw new Error('this item has no x');
				return fallback;
			},
		} as unknown as IExecuteFunctions;
		expect(readOptionsOf(ctx, 2, { maxCostPerVideo: 'Max Cost per Video' })).toEqual({
			ok: true,
			value: { maxCostPerVideo: 2.5 },
		});
	});
});
