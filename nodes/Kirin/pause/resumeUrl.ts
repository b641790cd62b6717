import { createHmac } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { tokenMatches } from '../../shared/api/credentials';

/**
 * The resume URL every task of a paused execution calls back. A paused node cannot keep state
 * of its own: n8n hands its webhook only the request. So the URL carries what the webhook
 * needs, each item's external task ID (`x`), the price quoted for it (`e`, when quoted) and
 * which items' tasks were made before this run (`r`, item indexes, when any), signed with the
 * API key (`k`), on top of n8n's own resume URL, whose token n8n checks before our webhook even
 * runs.
 */

const REFS = 'x';
const ESTIMATES = 'e';
const REUSED = 'r';
const SIGNATURE = 'k';

/** One item of a paused execution: its task's external ID, or why it has no task, and its quoted price. */
export type PausedItem =
	/** `reused`: its task was made before this run (output as `reused`). */
	| { externalTaskId: string; estimatedCost: number | null; reused?: boolean }
	/** Its inputs failed their checks, or its create failed before it was sent. */
	| { noTask: 'inputs' | 'create'; estimatedCost: null };

/** How `x` says an item has no task: encodeURIComponent never yields either for an ID. */
const NO_TASK = { inputs: '', create: '%' } as const;

function encodeRef(item: PausedItem): string {
	return 'noTask' in item ? NO_TASK[item.noTask] : encodeURIComponent(item.externalTaskId);
}

function decodeRef(ref: string, estimatedCost: number | null, reused: boolean): PausedItem {
	if (ref === NO_TASK.inputs) return { noTask: 'inputs', estimatedCost: null };
	if (ref === NO_TASK.create) return { noTask: 'create', estimatedCost: null };
	return { externalTaskId: decodeURIComponent(ref), estimatedCost, ...(reused ? { reused } : {}) };
}

/**
 * An HMAC keyed with the API key: a token only holders of this credential can make, that
 * reveals nothing of the key.
 */
function signature(
	apiKey: string,
	executionId: string,
	refs: string,
	estimates: string,
	reused: string,
): string {
	// Without reused items the signed text is as before `r` existed: a URL given out then still works.
	const signed = `resume:${executionId}:${refs}:${estimates}${reused ? `:${reused}` : ''}`;
	return createHmac('sha256', `kirin-sign:${apiKey}`).update(signed).digest('hex').slice(0, 32);
}

/** n8n's resume URL for this execution, with the items' external task IDs, prices and signature. */
export function signedResumeUrl(
	resumeUrl: string,
	executionId: string,
	apiKey: string,
	items: PausedItem[],
): string {
	const url = new URL(resumeUrl);
	// A user's own external task ID may hold a comma: each is encoded before they are joined.
	const refs = items.map(encodeRef).join(',');
	const quoted = items.some((item) => item.estimatedCost !== null);
	const estimates = quoted ? items.map((item) => item.estimatedCost ?? '').join(',') : '';
	const reused = items.flatMap((item, index) => ('reused' in item && item.reused ? [index] : [])).join(',');
	url.searchParams.set(REFS, refs);
	if (quoted) url.searchParams.set(ESTIMATES, estimates);
	if (reused) url.searchParams.set(REUSED, reused);
	url.searchParams.set(SIGNATURE, signature(apiKey, executionId, refs, estimates, reused));
	return url.toString();
}

/** The items a resume call names, or null when its signature is missing or wrong. */
export function readSignedItems(
	query: IDataObject,
	executionId: string,
	apiKey: string,
): PausedItem[] | null {
	const text = (name: string) => (typeof query[name] === 'string' ? query[name] : '');
	const refs = text(REFS);
	const estimates = text(ESTIMATES);
	const reused = text(REUSED);
	const signed = signature(apiKey, executionId, refs, estimates, reused);
	if (!refs || !tokenMatches(query[SIGNATURE], signed)) return null;
	const prices = estimates.split(',');
	const reusedItems = new Set(reused ? reused.split(',') : []);
	return refs.split(',').map((ref, index) => {
		const price = estimates ? Number.parseFloat(prices[index] ?? '') : Number.NaN;
		return decodeRef(ref, Number.isFinite(price) ? price : null, reusedItems.has(String(index)));
	});
}
