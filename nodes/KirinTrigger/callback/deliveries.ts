import type { IDataObject } from 'n8n-workflow';

/** How many recent (task, status) deliveries the trigger remembers to drop repeats. */
export const REMEMBERED_DELIVERIES = 500;

/**
 * Static data is written to n8n's database after the webhook call that changed it, and on
 * SQLite every write waits for the one writer. Under a burst of callbacks the trigger writes
 * its memory once per this many new deliveries, or when the last write is this old, instead
 * of once per callback. Alone, a callback is always written at once.
 */
export const SAVE_EVERY_DELIVERIES = 25;
export const SAVE_AFTER_MS = 5_000;

/**
 * Deliveries seen by this n8n process, per trigger node. n8n loads a workflow's static data
 * afresh for each webhook call and saves it afterwards, last writer wins: two callbacks handled
 * at the same moment each save a list without the other's entry. This in-process memory closes
 * that gap (a check and its record happen in one tick) and is the one that counts while the
 * process lives; static data carries it across restarts.
 */
interface Memory {
	seen: string[];
	unsaved: number;
	savedAt: number;
}
const inProcess = new Map<string, Memory>();

function bounded(list: string[]): string[] {
	return list.slice(-REMEMBERED_DELIVERIES);
}

/** Another process (a second webhook processor, or before a restart) may have saved entries we lack. */
function merged(stored: string[], seen: string[]): string[] {
	const ours = new Set(seen);
	return bounded([...stored.filter((key) => !ours.has(key)), ...seen]);
}

function memoryOf(scope: string): Memory {
	const memory = inProcess.get(scope) ?? { seen: [], unsaved: 0, savedAt: Number.NEGATIVE_INFINITY };
	inProcess.set(scope, memory);
	return memory;
}

function storedIn(staticData: IDataObject): string[] {
	return Array.isArray(staticData.deliveries) ? (staticData.deliveries as string[]) : [];
}

/**
 * Whether this (task, status) was delivered already, without recording anything: a repeat can
 * be dropped before the trigger spends a request to Kirin on verifying it.
 */
export function alreadyDelivered(scope: string, staticData: IDataObject, taskId: string, status: string): boolean {
	const key = `${taskId}:${status}`;
	return storedIn(staticData).includes(key) || memoryOf(scope).seen.includes(key);
}

/**
 * Records a delivery; false if it was already seen. Both lists are bounded (oldest first out)
 * because static data is saved with the workflow.
 * @param scope identifies the trigger node (workflow ID and node name)
 * @param now the clock, in milliseconds, for deciding when to write static data
 */
export function firstDelivery(
	scope: string,
	staticData: IDataObject,
	taskId: string,
	status: string,
	now = Date.now(),
): boolean {
	if (alreadyDelivered(scope, staticData, taskId, status)) return false;
	const key = `${taskId}:${status}`;
	const stored = storedIn(staticData);
	const memory = memoryOf(scope);

	memory.seen = bounded([...memory.seen, key]);
	memory.unsaved += 1;
	if (memory.unsaved >= SAVE_EVERY_DELIVERIES || now - memory.savedAt >= SAVE_AFTER_MS) {
		// Only this assignment marks the static data changed, so only then does n8n write it.
		staticData.deliveries = merged(stored, memory.seen);
		memory.unsaved = 0;
		memory.savedAt = now;
	}
	return true;
}
