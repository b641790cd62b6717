import type { IDataObject } from 'n8n-workflow';

/** How many recent (task, status) deliveries the trigger remembers to drop repeats. */
export const REMEMBERED_DELIVERIES = 500;

/**
 * Deliveries seen by this n8n process, per trigger node. n8n loads a workflow's static data
 * afresh for each webhook call and saves it afterwards, last writer wins: two callbacks handled
 * at the same moment each save a list without the other's entry. This in-process memory closes
 * that gap (a check and its record happen in one tick); static data carries the memory across
 * restarts.
 */
const inProcess = new Map<string, string[]>();

function remember(list: string[], key: string): string[] {
	return [...list, key].slice(-REMEMBERED_DELIVERIES);
}

/**
 * Records a delivery; false if it was already seen. Both lists are bounded (oldest first out)
 * because static data is saved with the workflow.
 * @param scope identifies the trigger node (workflow ID and node name)
 */
export function firstDelivery(
	scope: string,
	staticData: IDataObject,
	taskId: string,
	status: string,
): boolean {
	const key = `${taskId}:${status}`;
	const stored = Array.isArray(staticData.deliveries) ? (staticData.deliveries as string[]) : [];
	const local = inProcess.get(scope) ?? [];
	if (stored.includes(key) || local.includes(key)) return false;
	inProcess.set(scope, remember(local, key));
	staticData.deliveries = remember(stored, key);
	return true;
}
