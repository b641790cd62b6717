import { NodeApiError, type INode, type IDataObject } from 'n8n-workflow';

import type { Failure } from '../transport/outcome';
import { describe, describeFailure } from './errors';
import { apiErrorOf } from './failures';

/**
 * The errors of a create that may have bought a video, or that a taken external task ID stopped:
 * each names the external task ID to find the task by, and keeps it on the error so the node's
 * stop error can name it too (unsureExternalTaskId).
 */

/** " (HTTP 409)" for a refusal Kirin answered with a status, else nothing. */
function httpStatusOf(failure: Failure): string {
	return failure.kind === 'http-error' ? ` (HTTP ${failure.status})` : '';
}

/** Where an unsure create keeps its external task ID on the error, for the node's stop error. */
const UNSURE_CONTEXT_KEY = 'unsureExternalTaskId';

/**
 * The error for a create whose outcome is unknown: the request may have started a paid video,
 * and Kirin could not say, so the node did not send it again.
 */
export function createOutcomeUnknownError(
	node: INode,
	failure: Failure,
	context: { itemIndex: number; externalTaskId: string; timeoutMs: number },
): NodeApiError {
	const { itemIndex, externalTaskId } = context;
	const what = describeFailure(failure, context.timeoutMs);
	const error = new NodeApiError(
		node,
		{ kind: failure.kind, externalTaskId },
		{
			message: `${what[0].toUpperCase()}${what.slice(1)} while starting this video (external task ID ${externalTaskId}), and Kirin cannot say whether it was started, so the node did not send it again [item ${itemIndex}]`,
			description: `To avoid paying twice, first look for a task with external task ID "${externalTaskId}" (Get Status → Look Up By: External Task ID, or your Kirin account). If there is none, turn on Options → Always Create New Videos (or set another External Task ID) and run the item again.`,
			itemIndex,
		},
	);
	error.context[UNSURE_CONTEXT_KEY] = externalTaskId;
	return error;
}

/**
 * The error for a create Kirin refused because its external task ID is taken, when Kirin does not
 * show the task under that ID: a task exists (made by another execution or n8n worker a moment
 * ago, or before), so the node did not send it again, and the item names the ID to find it by.
 */
export function takenIdNotShownError(
	node: INode,
	failure: Failure,
	context: { itemIndex: number; externalTaskId: string },
	redact: (text: string) => string,
): NodeApiError {
	const { itemIndex, externalTaskId } = context;
	const error = new NodeApiError(
		node,
		{ kind: failure.kind, externalTaskId },
		{
			message: `Kirin already has a task under external task ID ${externalTaskId}${httpStatusOf(failure)} but does not show it, so the node did not send this video again [item ${itemIndex}]`,
			description: describe(
				`Another execution or n8n worker probably started it at the same moment. Find it with Get Status → Look Up By: External Task ID "${externalTaskId}" (or in your Kirin account) instead of running the item again.`,
				apiErrorOf(failure)?.message,
				redact,
			),
			itemIndex,
		},
	);
	error.context[UNSURE_CONTEXT_KEY] = externalTaskId;
	return error;
}

/** The external task ID of a create whose outcome is unknown (a task may have been paid for). */
export function unsureExternalTaskId(error: { context?: IDataObject }): string | undefined {
	const id = error.context?.[UNSURE_CONTEXT_KEY];
	return typeof id === 'string' ? id : undefined;
}

/**
 * The error for a create under the user's own External Task ID when Kirin keeps that ID for a
 * task that failed before: Kirin refused the ID as taken (`failure`), and its own lookup still
 * showed that failed task after the retries, so it is not this run's video. Nothing was bought;
 * the user gives the item a new ID.
 */
export function ownIdKeptByFailedTaskError(
	node: INode,
	failure: Failure,
	context: { itemIndex: number; externalTaskId: string; taskId: string },
	redact: (text: string) => string,
): NodeApiError {
	const { itemIndex, externalTaskId, taskId } = context;
	return new NodeApiError(
		node,
		{ kind: failure.kind, externalTaskId, taskId },
		{
			message: `Kirin keeps external task ID ${externalTaskId} for its failed task ${taskId} and refused to start another under it${httpStatusOf(failure)} [item ${itemIndex}]`,
			description: describe(
				`Nothing was bought by this item. Kirin still showed the failed task under the ID after the node asked again for a while; if another execution or n8n worker has started a new task under it since, find it with Get Status → Look Up By: External Task ID "${externalTaskId}". Otherwise give the item a new External Task ID (Options) or clear the option so the node derives one, and run it again.`,
				apiErrorOf(failure)?.message,
				redact,
			),
			itemIndex,
		},
	);
}
