/**
 * The single values inside the API's answers (text, numbers, times), read for parse.ts: every
 * reader here returns null for what it cannot read, and none throws.
 */

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

export function num(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return null;
}

/** The range of a JavaScript date: ±8.64e15 ms around 1970. */
const MAX_DATE_MS = 8.64e15;

/**
 * A Unix time in any unit, to milliseconds, told apart by size: below 1e12 seconds (until the
 * year 33658), below 1e15 milliseconds, below 1e18 microseconds, else nanoseconds. Zero, a
 * negative time or one past the dates JavaScript can hold is null.
 */
function unixMs(n: number): number | null {
	if (!Number.isFinite(n) || n <= 0) return null;
	const ms = n < 1e12 ? n * 1000 : n < 1e15 ? n : n < 1e18 ? n / 1000 : n / 1e6;
	return ms <= MAX_DATE_MS ? Math.round(ms) : null;
}

/**
 * A timestamp as ISO 8601: Unix seconds, milliseconds, microseconds or nanoseconds (a number or
 * a numeric string), or a date text. Anything else, or out of range, is null: an odd timestamp
 * never costs a task (it is only shown).
 */
export function readTimestamp(value: unknown): string | null {
	const n = num(value);
	if (n !== null) {
		const ms = unixMs(n);
		return ms === null ? null : new Date(ms).toISOString();
	}
	const s = text(value);
	if (s === null) return null;
	const ms = new Date(s).getTime();
	return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
