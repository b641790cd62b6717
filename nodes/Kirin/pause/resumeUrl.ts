import { createHmac } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { tokenMatches } from '../../shared/api/credentials';

/**
 * The resume URL every task of a paused execution calls back. A paused node cannot keep state
 * of its own: n8n hands its webhook only the request. So the URL carries what the webhook
 * needs, the items' external task IDs (`x`), signed with the API key (`k`), on top of n8n's
 * own resume URL, whose token n8n checks before our webhook even runs.
 */

const REFS = 'x';
const SIGNATURE = 'k';

/**
 * An HMAC keyed with the API key: a token only holders of this credential can make, that
 * reveals nothing of the key.
 */
function signature(apiKey: string, executionId: string, refs: string): string {
	return createHmac('sha256', `kirin-sign:${apiKey}`)
		.update(`resume:${executionId}:${refs}`)
		.digest('hex')
		.slice(0, 32);
}

/** n8n's resume URL for this execution, with the external task IDs and their signature. */
export function signedResumeUrl(
	resumeUrl: string,
	executionId: string,
	apiKey: string,
	externalTaskIds: string[],
): string {
	const url = new URL(resumeUrl);
	const refs = externalTaskIds.join(',');
	url.searchParams.set(REFS, refs);
	url.searchParams.set(SIGNATURE, signature(apiKey, executionId, refs));
	return url.toString();
}

/** The external task IDs a resume call names, or null when its signature is missing or wrong. */
export function readSignedRefs(query: IDataObject, executionId: string, apiKey: string): string[] | null {
	const refs = typeof query[REFS] === 'string' ? query[REFS] : '';
	if (!refs || !tokenMatches(query[SIGNATURE], signature(apiKey, executionId, refs))) return null;
	return refs.split(',');
}
