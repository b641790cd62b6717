import { createHash } from 'crypto';

/** Where an item runs. The same item of the same execution always gets the same ID. */
export interface ItemCoordinates {
	instanceId: string;
	workflowId: string;
	executionId: string;
	nodeId: string;
	itemIndex: number;
}

/**
 * The external task ID a create carries when the user gave none. It is derived, not random,
 * so that n8n's "Retry On Fail" (which re-runs the node in the same execution) asks for the
 * same ID and finds the task it already paid for instead of creating a second one.
 */
export function deriveExternalTaskId(item: ItemCoordinates): string {
	const digest = createHash('sha256')
		.update(JSON.stringify([item.instanceId, item.workflowId, item.executionId, item.nodeId, item.itemIndex]))
		.digest('hex');
	return `n8n-${digest.slice(0, 32)}`;
}
