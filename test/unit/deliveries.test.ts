import type { IDataObject } from 'n8n-workflow';

import { firstDelivery, REMEMBERED_DELIVERIES } from '../../nodes/KirinTrigger/callback/deliveries';

let scope = 0;
const newScope = () => `workflow-${++scope}/Kirin Trigger`;

describe('firstDelivery', () => {
	it('accepts a delivery once and drops its repeat', () => {
		const where = newScope();
		const staticData: IDataObject = {};
		expect(firstDelivery(where, staticData, 'task_1', 'completed')).toBe(true);
		expect(firstDelivery(where, staticData, 'task_1', 'completed')).toBe(false);
		expect(firstDelivery(where, staticData, 'task_1', 'failed')).toBe(true);
		expect(staticData.deliveries).toEqual(['task_1:completed', 'task_1:failed']);
	});

	it('drops a repeat even when n8n saved the static data of a concurrent call over ours', () => {
		const where = newScope();
		// Two callbacks handled at once: each gets its own copy of the saved static data.
		const first: IDataObject = {};
		const second: IDataObject = {};
		expect(firstDelivery(where, first, 'task_a', 'completed')).toBe(true);
		expect(firstDelivery(where, second, 'task_b', 'completed')).toBe(true);
		// n8n keeps the last one saved, which lacks task_a; a repeat of task_a must still be dropped.
		const reloaded = structuredClone(second);
		expect(reloaded.deliveries).toEqual(['task_b:completed']);
		expect(firstDelivery(where, reloaded, 'task_a', 'completed')).toBe(false);
	});

	it('remembers across restarts through static data', () => {
		const saved: IDataObject = {};
		firstDelivery(newScope(), saved, 'task_1', 'completed');
		// A new process: nothing in memory for this scope, only the saved static data.
		expect(firstDelivery(newScope(), structuredClone(saved), 'task_1', 'completed')).toBe(false);
	});

	it('keeps trigger nodes apart', () => {
		expect(firstDelivery(newScope(), {}, 'task_1', 'completed')).toBe(true);
		expect(firstDelivery(newScope(), {}, 'task_1', 'completed')).toBe(true);
	});

	it('keeps a bounded list, oldest out first', () => {
		const where = newScope();
		const staticData: IDataObject = {};
		for (let i = 0; i <= REMEMBERED_DELIVERIES; i++)
			firstDelivery(where, staticData, `task_${i}`, 'completed');
		expect(staticData.deliveries).toHaveLength(REMEMBERED_DELIVERIES);
		expect((staticData.deliveries as string[])[0]).toBe('task_1:completed');
		expect(firstDelivery(where, staticData, 'task_0', 'completed')).toBe(true);
	});
});
