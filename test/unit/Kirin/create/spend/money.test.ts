import { formatUsd, fromMicros, inUsd, toMicros } from '../../../../../nodes/Kirin/create/spend/money';

describe('money', () => {
	it('adds ten $0.35 videos up to exactly $3.50', () => {
		const micros = Array.from({ length: 10 }, () => toMicros(0.35)).reduce((a, b) => a + b, 0);
		expect(fromMicros(micros)).toBe(3.5);
	});

	it.each([
		[3.5, '$3.50'],
		[0.35, '$0.35'],
		[0.0357, '$0.0357'],
		[0.035714285714, '$0.035714'],
		[0, '$0.00'],
		[12, '$12.00'],
	])('writes %p as %s', (usd, text) => {
		expect(formatUsd(usd)).toBe(text);
	});

	it('reads a quote in dollars as a price, and one in another currency as none', () => {
		expect(inUsd({ known: true, cost: 0.35, currency: 'usd', discount: 1 })).toEqual({
			known: true,
			usd: 0.35,
			discount: 1,
		});
		expect(inUsd({ known: true, cost: 0.2, currency: 'credit', discount: null })).toEqual({
			known: false,
			reason: 'Kirin quoted 0.2 credit, not US dollars',
		});
		expect(inUsd({ known: false, reason: 'no price', noRoute: false })).toEqual({
			known: false,
			reason: 'no price',
		});
	});
});
