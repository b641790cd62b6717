import {
	contentDigest,
	deriveExternalTaskIds,
	type KeyScope,
} from '../../../../nodes/Kirin/create/externalTaskId';

const scope: KeyScope = { instanceId: 'i', workflowId: 'w', nodeId: 'n', runIndex: 0 };
const alpha = contentDigest({ image: 'sha-of-image', prompt: 'alpha', duration: '5', watermark: false });
const beta = contentDigest({ image: 'sha-of-image', prompt: 'beta', duration: '5', watermark: false });

describe('deriveExternalTaskIds', () => {
	it('is stable for the same content in the same place, whatever the execution', () => {
		expect(deriveExternalTaskIds(scope, [alpha])).toEqual(deriveExternalTaskIds({ ...scope }, [alpha]));
		expect(deriveExternalTaskIds(scope, [alpha])[0]).toMatch(/^n8n-[0-9a-f]{32}$/);
	});

	it.each(['instanceId', 'workflowId', 'nodeId'] as const)('changes with %s', (field) => {
		expect(deriveExternalTaskIds({ ...scope, [field]: 'other' }, [alpha])).not.toEqual(
			deriveExternalTaskIds(scope, [alpha]),
		);
	});

	it('changes with the run index (a loop pass, a tool call)', () => {
		expect(deriveExternalTaskIds({ ...scope, runIndex: 1 }, [alpha])).not.toEqual(
			deriveExternalTaskIds(scope, [alpha]),
		);
	});

	it('changes with the content, and keeps it when only the item position moves', () => {
		const [a, b] = deriveExternalTaskIds(scope, [alpha, beta]);
		const [b2, a2] = deriveExternalTaskIds(scope, [beta, alpha]);
		expect(a).not.toBe(b);
		expect([a2, b2]).toEqual([a, b]);
	});

	it('gives identical items their own IDs, by occurrence', () => {
		const ids = deriveExternalTaskIds(scope, [alpha, alpha, beta, alpha]);
		expect(new Set(ids).size).toBe(4);
		expect(deriveExternalTaskIds(scope, [alpha, alpha, beta, alpha])).toEqual(ids);
	});

	it('skips items without a digest (failed inputs, own IDs) without shifting the others', () => {
		const [none, a] = deriveExternalTaskIds(scope, [null, alpha]);
		expect(none).toBeNull();
		expect(a).toBe(deriveExternalTaskIds(scope, [alpha])[0]);
	});

	it('joins the execution only with "Always Create New Videos"', () => {
		const fresh = (executionId: string) => deriveExternalTaskIds({ ...scope, executionId }, [alpha])[0];
		expect(fresh('7')).not.toBe(fresh('8'));
		expect(fresh('7')).not.toBe(deriveExternalTaskIds(scope, [alpha])[0]);
	});
});

describe('contentDigest', () => {
	it('ignores key order and tells every field apart', () => {
		expect(contentDigest({ a: 1, b: 'x' })).toBe(contentDigest({ b: 'x', a: 1 }));
		expect(contentDigest({ a: 1, b: 'x' })).not.toBe(contentDigest({ a: 1, b: 'y' }));
	});
});
