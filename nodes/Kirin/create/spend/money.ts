import type { PriceQuote } from '../../../shared/api/quotes';

/** Prices as the spend limits read them: US dollars, added without rounding errors. */

/** A price in US dollars, or why there is none (the caps are in dollars: another currency is no price). */
export type UsdPrice =
	| { known: true; usd: number; discount: number | null }
	| { known: false; reason: string };

export function inUsd(quote: PriceQuote): UsdPrice {
	if (!quote.known) return { known: false, reason: quote.reason };
	if (quote.currency.toUpperCase() !== 'USD') {
		return { known: false, reason: `Kirin quoted ${quote.cost} ${quote.currency}, not US dollars` };
	}
	return { known: true, usd: quote.cost, discount: quote.discount };
}

/** Millionths of a dollar: ten $0.35 videos add up to exactly $3.50, not 3.4999999999999996. */
export function toMicros(usd: number): number {
	return Math.round(usd * 1_000_000);
}

export function fromMicros(micros: number): number {
	return micros / 1_000_000;
}

/** "$3.50", "$0.0357": cents at least, more digits only where the price has them. */
export function formatUsd(usd: number): string {
	const [whole, decimals = ''] = fromMicros(toMicros(usd)).toFixed(6).replace(/0+$/, '').split('.');
	return `$${whole}.${decimals.padEnd(2, '0')}`;
}
