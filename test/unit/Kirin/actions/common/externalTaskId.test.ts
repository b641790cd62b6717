import { deriveExternalTaskId } from '../../../../../nodes/Kirin/actions/common/externalTaskId';

const item = { instanceId: 'i', workflowId: 'w', executionId: '7', nodeId: 'n', itemIndex: 0 };

describe('deriveExternalTaskId', () => {
	it('is stable for the same item of the same execution', () => {
		expect(deriveExternalTaskId(item)).toBe(deriveExternalTaskId({ ...item }));
		expect(deriveExternalTaskId(item)).toMatch(/^n8n-[0-9a-f]{32}$/);
	});

	it.each(['instanceId', 'workflowId', 'executionId', 'nodeId'] as const)('changes with %s', (field) => {
		expect(deriveExternalTaskId({ ...item, [field]: 'other' })).not.toBe(deriveExternalTaskId(item));
	});

	it('changes with the item index', () => {
		expect(deriveExternalTaskId({ ...item, itemIndex: 1 })).not.toBe(deriveExternalTaskId(item));
	});
});
