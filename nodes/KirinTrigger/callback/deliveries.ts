import type { IDataObject } from 'n8n-workflow';

/** How many recent (task, status) deliveries the trigger remembers to drop repeats. */
export const REMEMBERED_DELIVERIES = 500;

/**
 * Records a delivery in the node's static data; false if it was already there. The list is
 * bounded (oldest first out) because static data is saved with the workflow.
 */
export function firstDelivery(staticData: IDataObject, taskId: string, status: string): boolean {
	const key = `${taskId}:${status}`;
	const seen = Array.isArray(staticData.deliveries) ? (staticData.deliveries as string[]) : [];
	if (seen.includes(key)) return false;
	staticData.deliveries = [...seen, key].slice(-REMEMBERED_DELIVERIES);
	return true;
}
