import type { INode } from 'n8n-workflow';

import { throwIfCancelled } from '../transport/sleep';

/**
 * One create per external task ID in this n8n process, also when executions overlap (a webhook
 * delivered twice, a schedule overlapping its previous run, two items of two executions asking
 * for the same video). Without it both would look the ID up, both find nothing, and both pay.
 *
 * An external task ID is held (per API, by base URL) from its claim until its create has
 * answered (a task, a failure or an unknown outcome); a second claim of it waits for the holder's
 * release, then looks again and finds the holder's task (or, after a failed one, moves on to the
 * next attempt). Whoever holds an ID releases it in a `finally`, so a holder that throws never
 * leaves it held. Across processes (queue-mode workers, several mains) this memory does not
 * reach: there only the API can refuse a taken ID (see failures.ts `isTakenExternalId`).
 *
 * Deadlock-free: a run that holds several IDs at once (claims before pricing or pausing) takes
 * them in one global order (sorted), and a single item's create holds only its own ID.
 */

export interface IdHold {
	readonly externalTaskId: string;
	/** Lets the next claim of the ID go ahead. Safe to call more than once. */
	release(): void;
}

/** Base URL + external task ID → released when the holder lets go. */
const holders = new Map<string, Promise<void>>();

function keyOf(baseUrl: string, externalTaskId: string): string {
	return `${baseUrl}\n${externalTaskId}`;
}

/** Resolves when `released` does, or throws once the execution is cancelled. */
async function untilReleased(released: Promise<void>, signal: AbortSignal | undefined, node: INode) {
	throwIfCancelled(signal, node);
	if (!signal) return await released;
	let onAbort = () => {};
	const aborted = new Promise<void>((resolve) => {
		onAbort = () => resolve();
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([released, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
	throwIfCancelled(signal, node);
}

/** Waits until nobody in this process holds the ID, then holds it. */
export async function holdExternalId(
	baseUrl: string,
	externalTaskId: string,
	signal: AbortSignal | undefined,
	node: INode,
): Promise<IdHold> {
	const key = keyOf(baseUrl, externalTaskId);
	// Every waiter wakes on a release; the first to run takes the ID, the others wait again.
	for (let holder = holders.get(key); holder; holder = holders.get(key)) {
		await untilReleased(holder, signal, node);
	}
	let letGo = () => {};
	const released = new Promise<void>((resolve) => (letGo = resolve));
	holders.set(key, released);
	let held = true;
	return {
		externalTaskId,
		release() {
			if (!held) return;
			held = false;
			holders.delete(key);
			letGo();
		},
	};
}

/**
 * Holds every ID of a run, taken one by one in sorted order (two runs over the same IDs cannot
 * each hold one the other waits for). A cancelled wait lets go of the IDs taken so far.
 */
export async function holdExternalIds(
	baseUrl: string,
	externalTaskIds: ReadonlyArray<string>,
	signal: AbortSignal | undefined,
	node: INode,
): Promise<Map<string, IdHold>> {
	const held = new Map<string, IdHold>();
	let complete = false;
	try {
		for (const id of [...new Set(externalTaskIds)].sort()) {
			held.set(id, await holdExternalId(baseUrl, id, signal, node));
		}
		complete = true;
	} finally {
		if (!complete) for (const hold of held.values()) hold.release();
	}
	return held;
}
