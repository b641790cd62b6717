import type { INode } from 'n8n-workflow';

import { holdExternalId, holdExternalIds } from '../../../../nodes/shared/api/createLocks';
import { drained } from '../../../support/eventLoop';

const node = { name: 'Kirin' } as INode;
const base = 'http://kirin.test';

/** Whether `promise` has settled once everything already queued has run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
	let settled = false;
	void promise.then(
		() => (settled = true),
		() => (settled = true),
	);
	await drained();
	return settled;
}

describe('holding an external task ID in this process', () => {
	it('makes a second claim of the ID wait for the first to let go, and no other ID wait', async () => {
		const first = await holdExternalId(base, 'a', undefined, node);
		const second = holdExternalId(base, 'a', undefined, node);
		expect(await settledYet(second)).toBe(false);
		// Another ID, or the same ID at another API, is free.
		(await holdExternalId(base, 'b', undefined, node)).release();
		(await holdExternalId('http://other.test', 'a', undefined, node)).release();
		first.release();
		expect(await settledYet(second)).toBe(true);
		(await second).release();
	});

	it('lets waiters in one at a time, and a release twice does not let in a second', async () => {
		const first = await holdExternalId(base, 'one', undefined, node);
		const inside: number[] = [];
		const waiters = [1, 2, 3].map(async (n) => {
			const hold = await holdExternalId(base, 'one', undefined, node);
			inside.push(n);
			return hold;
		});
		let holder = first;
		for (let released = 1; released <= 3; released++) {
			holder.release();
			holder.release();
			await drained();
			expect(inside).toHaveLength(released);
			holder = await waiters[inside[released - 1] - 1];
		}
		holder.release();
		expect(inside.sort()).toEqual([1, 2, 3]);
	});

	it('stops waiting with the cancel error when the execution is cancelled', async () => {
		const holder = await holdExternalId(base, 'c', undefined, node);
		const cancel = new AbortController();
		const waiting = holdExternalId(base, 'c', cancel.signal, node);
		cancel.abort();
		await expect(waiting).rejects.toThrow('The execution was cancelled');
		holder.release();
		(await holdExternalId(base, 'c', undefined, node)).release();
	});

	it("takes a run's IDs in one order, so two runs over the same IDs never wait for each other", async () => {
		const first = await holdExternalIds(base, ['z', 'y', 'x', 'y'], undefined, node);
		expect([...first.keys()]).toEqual(['x', 'y', 'z']);
		const second = holdExternalIds(base, ['x', 'z', 'y'], undefined, node);
		// The second run waits at its first ID, holding none the first run could need.
		first.get('z')!.release();
		first.get('y')!.release();
		expect(await settledYet(second)).toBe(false);
		first.get('x')!.release();
		const held = await second;
		for (const hold of held.values()) hold.release();
	});

	it('lets go of the IDs it took when a run is cancelled while waiting for the rest', async () => {
		const other = await holdExternalId(base, 'q', undefined, node);
		const cancel = new AbortController();
		const run = holdExternalIds(base, ['p', 'q'], cancel.signal, node);
		expect(await settledYet(run)).toBe(false);
		cancel.abort();
		await expect(run).rejects.toThrow('cancelled');
		// 'p' was taken and let go again.
		(await holdExternalId(base, 'p', undefined, node)).release();
		other.release();
	});
});
