import { createHash, timingSafeEqual } from 'crypto';

import { CREDENTIAL_TYPE, type KirinContext } from '../transport/context';
import { DEFAULT_MODEL_SPEC_URL } from './modelSpec';

/** The credential's fields (credentials/KirinApi.credentials.ts), as n8n hands them over. */
export interface KirinCredentials {
	apiKey: string;
	baseUrl: string;
	callbackSecret: string;
	/** Where the model's live spec is asked (without the API key): the gateway's models host. */
	modelSpecUrl: string;
}

/** The public API; also the credential's default Base URL (credentials/KirinApi.credentials.ts). */
export const DEFAULT_BASE_URL = 'https://cloud.vtrix.ai';

/** The Base URL without trailing slashes; the public API when left empty. */
export function normaliseBaseUrl(baseUrl: string | undefined): string {
	return (baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
}

/** The credential's fields as stored (any may be missing), with the base URL in one canonical form. */
export function credentialsFrom(raw: Partial<KirinCredentials>): KirinCredentials {
	return {
		apiKey: raw.apiKey ?? '',
		baseUrl: normaliseBaseUrl(raw.baseUrl),
		callbackSecret: raw.callbackSecret ?? '',
		modelSpecUrl: (raw.modelSpecUrl || DEFAULT_MODEL_SPEC_URL).trim().replace(/\/+$/, ''),
	};
}

/** Reads the node's Kirin API credential (the credential test reads its own with credentialsFrom). */
export async function readCredentials(ctx: Pick<KirinContext, 'getCredentials'>): Promise<KirinCredentials> {
	return credentialsFrom(await ctx.getCredentials<Partial<KirinCredentials>>(CREDENTIAL_TYPE));
}

/** Removes the API key (and callback secret) from any text that came from outside. */
export function redactSecrets(text: string, credentials: KirinCredentials): string {
	let result = text;
	for (const secret of [credentials.apiKey, credentials.callbackSecret]) {
		if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
	}
	return result;
}

/**
 * Compares a token someone sent with the expected one in constant time. Hashing first gives
 * both sides the same length, so not even the secret's length leaks through timing.
 */
export function tokenMatches(given: unknown, expected: string): boolean {
	if (typeof given !== 'string' || given === '' || expected === '') return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}
