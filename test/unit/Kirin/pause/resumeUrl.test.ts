/**
 * The resume URL of a paused execution: it carries every item's external task ID (or why the item
 * has none) and quoted price, signed with the API key, through n8n's query decoding and back.
 */
import { readSignedItems, signedResumeUrl, type PausedItem } from '../../../../nodes/Kirin/pause/resumeUrl';

const KEY = 'sk-test-key';
const RESUME = 'https://n8n.example.com/webhook-waiting/77?signature=n8n-own-token';

/** What n8n hands the webhook: the URL's query, decoded once. */
function queryOf(url: string): Record<string, string> {
	return Object.fromEntries(new URL(url).searchParams);
}

describe('the signed resume URL', () => {
	const items: PausedItem[] = [
		{ externalTaskId: 'order-1,blue', estimatedCost: 0.35 },
		{ noTask: 'inputs', estimatedCost: null },
		{ externalTaskId: 'n8n-abc-2', estimatedCost: 0 },
		{ externalTaskId: '100%,cotton & more', estimatedCost: null },
		{ noTask: 'create', estimatedCost: null },
	];

	it("keeps n8n's own token and gives back every item as it was, commas and percent signs included", () => {
		const url = signedResumeUrl(RESUME, '77', KEY, items);
		expect(new URL(url).searchParams.get('signature')).toBe('n8n-own-token');
		expect(readSignedItems(queryOf(url), '77', KEY)).toEqual(items);
		expect(url).not.toContain(KEY);
	});

	it('sends no prices when none was quoted', () => {
		const unquoted: PausedItem[] = [{ externalTaskId: 'a', estimatedCost: null }];
		const url = signedResumeUrl(RESUME, '77', KEY, unquoted);
		expect(new URL(url).searchParams.has('e')).toBe(false);
		expect(readSignedItems(queryOf(url), '77', KEY)).toEqual(unquoted);
	});

	it.each([
		[
			'another task ID',
			(query: Record<string, string>) => ({ ...query, x: query.x.replace('n8n-abc-2', 'n8n-abc-3') }),
		],
		['another price', (query: Record<string, string>) => ({ ...query, e: query.e.replace('0.35', '0.01') })],
		['no signature', (query: Record<string, string>) => ({ ...query, k: '' })],
	])('refuses a call with %s', (_, tamper) => {
		const query = queryOf(signedResumeUrl(RESUME, '77', KEY, items));
		expect(readSignedItems(tamper(query), '77', KEY)).toBeNull();
	});

	it('gives back which items were reused, and refuses a call whose reused items were changed', () => {
		const reused: PausedItem[] = [
			{ externalTaskId: 'a', estimatedCost: null, reused: true },
			{ externalTaskId: 'b', estimatedCost: null },
		];
		const query = queryOf(signedResumeUrl(RESUME, '77', KEY, reused));
		expect(query.r).toBe('0');
		expect(readSignedItems(query, '77', KEY)).toEqual(reused);
		expect(readSignedItems({ ...query, r: '0,1' }, '77', KEY)).toBeNull();
		const withoutReused = Object.fromEntries(Object.entries(query).filter(([name]) => name !== 'r'));
		expect(readSignedItems(withoutReused, '77', KEY)).toBeNull();
	});

	it('refuses the URL of another execution, or signed with another key', () => {
		const query = queryOf(signedResumeUrl(RESUME, '77', KEY, items));
		expect(readSignedItems(query, '78', KEY)).toBeNull();
		expect(readSignedItems(query, '77', 'sk-other-key')).toBeNull();
	});
});
