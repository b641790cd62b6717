import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { isOperation, operations } from './operations';

/**
 * Runs the chosen operation over all input items at once: the operations batch their
 * requests and share one poll schedule, so they take the whole item list, not one item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0);
	if (!isOperation(operation)) {
		throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`, {
			description: 'Open the node and choose one of its operations again.',
		});
	}
	return [await operations[operation].execute.call(this, items)];
}
