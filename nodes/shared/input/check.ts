/**
 * The result of checking one input: the cleaned value, or why it was refused. Every rule in
 * this folder answers in this form, so a caller can stop at the first refusal and raise it as
 * is (with the item index added).
 *
 * A refusal follows n8n's error copy: `reason` says what is wrong (it becomes the error's
 * message), `fix` what the user should do (its description).
 */
export type Check<T> = { ok: true; value: T } | { ok: false; reason: string; fix: string };

export type Refusal = Extract<Check<unknown>, { ok: false }>;

export function accept<T>(value: T): Check<T> {
	return { ok: true, value };
}

export function refuse(reason: string, fix: string): Refusal {
	return { ok: false, reason, fix };
}
