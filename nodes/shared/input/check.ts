/** The result of checking one input: the cleaned value, or one sentence saying what to fix. */
export type Check<T> = { ok: true; value: T } | { ok: false; reason: string };
