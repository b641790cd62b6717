/**
 * Runs `work` over every entry with at most `limit` in flight, and returns the results in
 * input order (n8n pairs output items with input items by position).
 */
export async function mapWithConcurrency<T, R>(
	entries: readonly T[],
	limit: number,
	work: (entry: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await work(entries[index], index);
		}
	};
	const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, entries.length));
	await Promise.all(Array.from({ length: lanes }, lane));
	return results;
}

/** A result or what was thrown instead. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Runs `work` and turns a throw into a value, so one item's failure cannot sink the batch. */
export async function settle<R>(work: () => Promise<R>): Promise<Settled<R>> {
	try {
		return { ok: true, value: await work() };
	} catch (error) {
		return { ok: false, error };
	}
}
