/**
 * Import first, before any module of the package: the node's own waits, ten times shorter,
 * for tests that are not about how long the node waits. They check how many attempts were
 * made, what the user reads and how many tasks exist; none of that depends on the pause between
 * two attempts (DEFAULT_BACKOFF: 0.5 s doubling up to 20 s, four retries) or on how long the
 * webhooks wait for an API that does not answer (CALLBACK_CLIENT_OPTIONS: 10 s). The number of
 * retries, the poll schedule, the time limits and Retry-After stay as the test sets them.
 *
 * `npm run reliability` keeps the shipped values, so docs/RELIABILITY.md describes those.
 */
jest.mock('../../nodes/shared/transport/retry', () => {
	const actual = jest.requireActual<typeof import('../../nodes/shared/transport/retry')>(
		'../../nodes/shared/transport/retry',
	);
	const { writeReliability } =
		jest.requireActual<typeof import('../support/testFlags')>('../support/testFlags');
	const { retries, baseMs, maxMs } = actual.DEFAULT_BACKOFF;
	const shortened = { retries, baseMs: baseMs / 10, maxMs: maxMs / 10 };
	return { ...actual, DEFAULT_BACKOFF: writeReliability ? actual.DEFAULT_BACKOFF : shortened };
});

jest.mock('../../nodes/shared/api/callbackOptions', () => {
	const actual = jest.requireActual<typeof import('../../nodes/shared/api/callbackOptions')>(
		'../../nodes/shared/api/callbackOptions',
	);
	const { writeReliability } =
		jest.requireActual<typeof import('../support/testFlags')>('../support/testFlags');
	const options = actual.CALLBACK_CLIENT_OPTIONS;
	const shortened = { ...options, requestTimeoutMs: (options.requestTimeoutMs ?? 0) / 10 };
	return { CALLBACK_CLIENT_OPTIONS: writeReliability ? options : shortened };
});

export {};
