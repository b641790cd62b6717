import type { IDataObject } from 'n8n-workflow';

import {
	alreadyDelivered,
	firstDelivery,
	REMEMBERED_DELIVERIES,
	SAVE_AFTER_MS,
	SAVE_EVERY_DELIVERIES,
} from '../../../../nodes/KirinTrigger/callback/deliveries';

let scope = 0;
const newScope = () => `workflow-${++scope}/Kirin Trigger`;

/**
 * n8n's handling of a trigger's static data: each webhook call gets a fresh copy of what was
 * last saved, and the copy is written back only when the call changed it.
 */
function n8nStaticData(initial: IDataObject = {}) {
	let saved = structuredClone(initial);
	let writes = 0;
	return {
		get saved() {
			return saved;
		},
		get writes() {
			return writes;
		},
		deliver(where: string, taskId: string, status: string, now: number): boolean {
			const copy = structuredClone(saved);
			const before = copy.deliveries;
			const first = firstDelivery(where, copy, taskId, status, now);
			if (copy.deliveries !== before) {
				saved = copy;
				writes += 1;
			}
			return first;
		},
	};
}

describe('firstDelivery', () => {
	it('accepts a delivery once and drops its repeat', () => {
		const where = newScope();
		const db = n8nStaticData();
		expect(db.deliver(where, 'task_1', 'completed', 0)).toBe(true);
		expect(db.deliver(where, 'task_1', 'completed', 0)).toBe(false);
		expect(db.deliver(where, 'task_1', 'failed', 0)).toBe(true);
		expect(db.deliver(where, 'task_1', 'failed', SAVE_AFTER_MS)).toBe(false);
	});

	it('drops a repeat even when the static data n8n hands over lacks it', () => {
		const where = newScope();
		// Two callbacks handled at once each get a copy of the static data as saved before
		// either, and the later save wins; what this process has seen still counts.
		expect(firstDelivery(where, {}, 'task_a', 'completed', 0)).toBe(true);
		expect(firstDelivery(where, {}, 'task_a', 'completed', 0)).toBe(false);
	});

	it('writes a lone delivery at once, so it is remembered across a restart', () => {
		const db = n8nStaticData();
		expect(db.deliver(newScope(), 'task_1', 'completed', 0)).toBe(true);
		expect(db.saved.deliveries).toEqual(['task_1:completed']);
		// A new process: nothing in memory for this scope, only the saved static data.
		expect(db.deliver(newScope(), 'task_1', 'completed', 1)).toBe(false);
	});

	it('writes static data once per batch of deliveries during a burst, and the rest later', () => {
		const where = newScope();
		const db = n8nStaticData();
		const burst = 4 * SAVE_EVERY_DELIVERIES;
		for (let i = 0; i < burst; i++) expect(db.deliver(where, `task_${i}`, 'completed', 1_000)).toBe(true);
		// The first of the burst, then one write per SAVE_EVERY_DELIVERIES new ones.
		expect(db.writes).toBe(4);
		expect(db.saved.deliveries).toHaveLength(3 * SAVE_EVERY_DELIVERIES + 1);

		// The next callback after a pause writes everything the burst left unsaved.
		expect(db.deliver(where, 'task_late', 'completed', 1_000 + SAVE_AFTER_MS)).toBe(true);
		expect(db.writes).toBe(5);
		expect(db.saved.deliveries).toHaveLength(burst + 1);
		// Every repeat of the burst is dropped, in this process and after a restart.
		for (let i = 0; i < burst; i++) {
			expect(db.deliver(where, `task_${i}`, 'completed', 1_000 + SAVE_AFTER_MS)).toBe(false);
			expect(db.deliver(newScope(), `task_${i}`, 'completed', 1_000 + SAVE_AFTER_MS)).toBe(false);
		}
	});

	it('keeps what another process saved when it writes', () => {
		const db = n8nStaticData({ deliveries: ['task_other:completed'] });
		expect(db.deliver(newScope(), 'task_1', 'completed', 0)).toBe(true);
		expect(db.saved.deliveries).toEqual(['task_other:completed', 'task_1:completed']);
	});

	it('keeps trigger nodes apart', () => {
		expect(firstDelivery(newScope(), {}, 'task_1', 'completed')).toBe(true);
		expect(firstDelivery(newScope(), {}, 'task_1', 'completed')).toBe(true);
	});

	it('keeps a bounded list, oldest out first', () => {
		const where = newScope();
		const db = n8nStaticData();
		for (let i = 0; i <= REMEMBERED_DELIVERIES; i++)
			db.deliver(where, `task_${i}`, 'completed', i * SAVE_AFTER_MS);
		expect(db.saved.deliveries).toHaveLength(REMEMBERED_DELIVERIES);
		expect((db.saved.deliveries as string[])[0]).toBe('task_1:completed');
		expect(db.deliver(where, 'task_0', 'completed', 0)).toBe(true);
	});
});

describe('alreadyDelivered', () => {
	it('tells a repeat from a new delivery without recording anything', () => {
		const where = newScope();
		const staticData: IDataObject = {};
		expect(alreadyDelivered(where, staticData, 'task_a', 'completed')).toBe(false);
		expect(alreadyDelivered(where, staticData, 'task_a', 'completed')).toBe(false);
		expect(firstDelivery(where, staticData, 'task_a', 'completed', 0)).toBe(true);
		expect(alreadyDelivered(where, staticData, 'task_a', 'completed')).toBe(true);
		expect(alreadyDelivered(where, staticData, 'task_a', 'failed')).toBe(false);
		expect(alreadyDelivered(newScope(), {}, 'task_a', 'completed')).toBe(false);
	});

	it('knows what another process saved in static data', () => {
		const staticData: IDataObject = { deliveries: ['task_b:completed'] };
		expect(alreadyDelivered(newScope(), staticData, 'task_b', 'completed')).toBe(true);
	});
});
