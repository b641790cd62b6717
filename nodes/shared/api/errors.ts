import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { Failure } from '../transport/outcome';
import { AUTH_FAILED_CODE, describeCode, ERROR_CODES } from './errorCodes';
import { apiErrorOf } from './failures';

/** What the failed request was doing, so the message can say what to check. */
export interface FailureContext {
	itemIndex: number;
	/** Task ID or external task ID the request was about, if any. */
	taskRef?: string;
	attempts: number;
	timeoutMs: number;
	baseUrl: string;
	redact: (text: string) => string;
}

function suffix(itemIndex: number, code: number | null): string {
	return code === null ? ` [item ${itemIndex}]` : ` [item ${itemIndex}, code ${code}]`;
}

function adviceFor(outcome: Failure, context: FailureContext): { advice: string; code: number | null } {
	const retried = context.attempts > 1 ? ` and still did after ${context.attempts - 1} retries` : '';
	const api = apiErrorOf(outcome);
	switch (outcome.kind) {
		case 'http-error': {
			const code = api?.code ?? null;
			const known = describeCode(code);
			if (known) return { advice: known.advice, code };
			if (outcome.status === 401 || outcome.status === 403) {
				return { advice: ERROR_CODES[AUTH_FAILED_CODE].advice, code };
			}
			if (outcome.status === 404) {
				const what = context.taskRef ? ` with ID "${context.taskRef}"` : '';
				return {
					advice: `Kirin has no task${what}: check the task ID, and that the task was created with this credential's API key.`,
					code,
				};
			}
			if (outcome.status === 429) {
				return {
					advice: `Kirin limited the request rate (HTTP 429)${retried}: lower the node's concurrency or try again later.`,
					code,
				};
			}
			if (outcome.status >= 500) {
				return {
					advice: `Kirin's server failed (HTTP ${outcome.status})${retried}: try again in a few minutes.`,
					code,
				};
			}
			const said = api?.message ? `: ${context.redact(api.message)}` : '';
			return { advice: `Kirin rejected the request (HTTP ${outcome.status})${said}.`, code };
		}
		case 'bad-body':
			return {
				advice: `Kirin answered with something that is not JSON (HTTP ${outcome.status})${retried}: check the Base URL in the Kirin API credential, or a proxy in between.`,
				code: null,
			};
		case 'network':
			if (outcome.reason === 'timeout') {
				return {
					advice: `Kirin did not answer within ${Math.round(context.timeoutMs / 1000)} s${retried}: try again, or raise the node's Request Timeout option.`,
					code: null,
				};
			}
			if (outcome.reason === 'refused' || outcome.reason === 'dns') {
				return {
					advice: `Could not reach Kirin at ${context.baseUrl}: check the Base URL in the Kirin API credential and the network.`,
					code: null,
				};
			}
			return {
				advice: `The connection to Kirin broke off${retried}: try again in a moment.`,
				code: null,
			};
		case 'cancelled':
			return { advice: 'The execution was cancelled before Kirin answered.', code: null };
	}
}

/** Turns a failed outcome into the error a no-code user sees. Never includes the API key. */
export function toNodeError(node: INode, outcome: Failure, context: FailureContext): NodeApiError {
	const { advice, code } = adviceFor(outcome, context);
	const httpCode =
		outcome.kind === 'http-error' || outcome.kind === 'bad-body' ? String(outcome.status) : undefined;
	const said = apiErrorOf(outcome)?.message;
	const apiMessage = said ? context.redact(said) : undefined;
	const details: JsonObject = { kind: outcome.kind, code, httpCode: httpCode ?? null };
	return new NodeApiError(node, details, {
		message: advice + suffix(context.itemIndex, code),
		description: apiMessage ? `Kirin said: ${apiMessage}` : undefined,
		httpCode,
		itemIndex: context.itemIndex,
	});
}

/** The error for a task that reached "failed" or "cancelled". */
export function taskFailedError(
	node: INode,
	task: { id: string; status: string; errorCode: number | null; errorMessage: string | null },
	itemIndex: number,
	redact: (text: string) => string,
): NodeApiError {
	const known = describeCode(task.errorCode);
	const advice =
		task.status === 'cancelled'
			? `Kirin task ${task.id} was cancelled: create it again if you still need the video.`
			: (known?.advice ?? `Kirin task ${task.id} failed: run it again, or try another image or prompt.`);
	const said = task.errorMessage ? redact(task.errorMessage) : undefined;
	return new NodeApiError(
		node,
		{ taskId: task.id, code: task.errorCode, status: task.status },
		{
			message: advice + suffix(itemIndex, task.errorCode),
			description: said ? `Kirin said: ${said}` : undefined,
			itemIndex,
		},
	);
}

/** What went wrong with one exchange, in a few words ("Kirin's server failed (HTTP 503)"). */
export function describeFailure(failure: Failure, timeoutMs: number): string {
	switch (failure.kind) {
		case 'bad-body':
			return `Kirin answered HTTP ${failure.status} with something that is not JSON`;
		case 'http-error':
			return `Kirin's server failed (HTTP ${failure.status})`;
		case 'network':
			return failure.reason === 'timeout'
				? `Kirin did not answer within ${Math.round(timeoutMs / 1000)} s`
				: 'the connection to Kirin broke off';
		case 'cancelled':
			return 'the execution was cancelled';
	}
}

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
	return new NodeApiError(
		node,
		{ kind: failure.kind, externalTaskId },
		{
			message: `${what[0].toUpperCase()}${what.slice(1)} while starting this video (external task ID ${externalTaskId}), and Kirin cannot say whether it was started, so the node did not send it again [item ${itemIndex}]`,
			description: `To avoid paying twice, first look for a task with external task ID "${externalTaskId}" (Get Status → Look Up By: External Task ID, or your Kirin account). If there is none, run the item again.`,
			itemIndex,
		},
	);
}
