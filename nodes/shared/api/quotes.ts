import type { Failure } from '../transport/outcome';
import type { KirinClient } from './client';
import { describeFailure } from './errors';
import { isTransient } from './failures';
import { parseQuote, type Quote } from './parse';
import { createBody, ROUTES } from './protocol';
import type { CreateTaskRequest } from './types';

/**
 * Asking the API what a create would cost, before paying for it: the gateway's pre-charge route
 * takes the create's own body and answers with a price. Not every host offers the route, and the
 * gateway may have no price at hand, so "unknown" is an answer like any other, with its reason.
 */

export type PriceQuote =
	| Extract<Quote, { known: true }>
	| {
			known: false;
			/** What a user reads: why there is no price. */
			reason: string;
			/** The host has no pre-charge route at all: asking about other items is pointless. */
			noRoute: boolean;
	  };

function unknown(reason: string, noRoute = false): PriceQuote {
	return { known: false, reason, noRoute };
}

/** The answers by which a host says it has no such route. */
function isMissingRoute(failure: Failure): failure is Extract<Failure, { kind: 'http-error' }> {
	return failure.kind === 'http-error' && [404, 405, 501].includes(failure.status);
}

/**
 * The price of sending `request` as a create, with retries on 429, 5xx, network errors and
 * unreadable bodies (asking costs nothing). A missing route, a cache miss or an API that stays
 * unreachable make an unknown price; an answer the create itself would also get (a rejected key,
 * a refused input) or a cancelled execution is thrown as the item's error.
 */
export async function quotePrice(
	client: KirinClient,
	request: CreateTaskRequest,
	itemIndex: number,
): Promise<PriceQuote> {
	// The image is read now, and goes as soon as the quote is in.
	const body = await createBody(request);
	const result = await client.retrying<PriceQuote>(async () => {
		const answer = await client.ask('POST', ROUTES.precharge, parseQuote, body);
		if (!answer.ok) return { failure: answer.failure, retry: isTransient(answer.failure) };
		const quote = answer.value;
		if (quote.known) return { done: quote };
		const code = quote.apiReason ? `: ${quote.apiReason}` : '';
		return { done: unknown(`Kirin has no price for this request yet${code}`) };
	});
	if (result.ok) return result.value;
	const { failure } = result;
	if (isMissingRoute(failure)) {
		return unknown(
			`this Kirin host gives no price quotes: ${ROUTES.precharge} answered HTTP ${failure.status}`,
			true,
		);
	}
	if (failure.kind === 'bad-body') {
		return unknown(`${describeFailure(failure, 0)} instead of a price`);
	}
	if (isTransient(failure)) return unknown(describeFailure(failure, client.options.requestTimeoutMs));
	throw client.fail(failure, result.attempts, itemIndex);
}
