/**
 * The result of checking one input: the cleaned value, or one sentence saying what to fix.
 * Every rule in this folder answers in this form, so a caller can stop at the first refusal
 * and show its reason as is (with the item index added).
 */
export type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

export type Refusal = Extract<Check<unknown>, { ok: false }>;

export function accept<T>(value: T): Check<T> {
	return { ok: true, value };
}

/** `reason` is shown to a no-code user: what is wrong with the input, then what to do. */
export function refuse(reason: string): Refusal {
	return { ok: false, reason };
}
