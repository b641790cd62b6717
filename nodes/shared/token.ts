import { createHash, timingSafeEqual } from 'crypto';

/**
 * Compares the callback's token with the secret in constant time. Hashing first gives both
 * sides the same length, so not even the secret's length leaks through timing.
 */
export function tokenMatches(given: unknown, secret: string): boolean {
	if (typeof given !== 'string' || given === '' || secret === '') return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(secret));
}
