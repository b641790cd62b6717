import type { ClientOptions } from './client';

/**
 * The client settings of both webhooks that answer a callback Kirin POSTs (the Kirin Trigger's
 * and Pause's resume webhook) while they ask the API about its task: the sender waits for the
 * answer, so a short retry covers a blip and a longer outage is answered at once.
 */
export const CALLBACK_CLIENT_OPTIONS: Partial<ClientOptions> = {
	requestTimeoutMs: 10_000,
	backoff: { retries: 1, baseMs: 250, maxMs: 1_000 },
};
