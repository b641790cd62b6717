import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { Failure } from '../transport/outcome';
import { originOf } from '../transport/request';
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

/** What a no-code user reads: what happened (message) and what to do (description). */
interface ErrorCopy {
	happened: string;
	todo: string;
	code: number | null;
}

function copyFor(outcome: Failure, context: FailureContext): ErrorCopy {
	const retried = context.attempts > 1 ? ` and still did after ${context.attempts - 1} retries` : '';
	const api = apiErrorOf(outcome);
	switch (outcome.kind) {
		case 'http-error': {
			const code = api?.code ?? null;
			const known = describeCode(code);
			if (known) return { happened: known.happened, todo: known.todo, code };
			if (outcome.status === 401 || outcome.status === 403) {
				const { happened, todo } = ERROR_CODES[AUTH_FAILED_CODE];
				return { happened, todo, code };
			}
			if (outcome.status === 404) {
				const what = context.taskRef ? ` with ID "${context.taskRef}"` : '';
				return {
					happened: `Kirin has no task${what}`,
					todo: "Check the task ID, and that the task was created with this credential's API key.",
					code,
				};
			}
			if (outcome.status === 429) {
				return {
					happened: `Kirin limited the request rate (HTTP 429)${retried}`,
					todo: 'Lower Options → Max Concurrent Requests, or try again later.',
					code,
				};
			}
			if (outcome.status >= 500) {
				return {
					happened: `Kirin's server failed (HTTP ${outcome.status})${retried}`,
					todo: 'Try again in a few minutes.',
					code,
				};
			}
			return {
				happened: `Kirin rejected the request (HTTP ${outcome.status})`,
				todo: "Check the node's fields and Options → Additional Parameters against what Kirin said.",
				code,
			};
		}
		case 'bad-body':
			return {
				happened: `Kirin answered with something that is not JSON (HTTP ${outcome.status})${retried}`,
				todo: 'Check the Base URL in the Kirin API credential, or a proxy in between.',
				code: null,
			};
		case 'network':
			if (outcome.reason === 'timeout') {
				return {
					happened: `Kirin did not answer within ${Math.round(context.timeoutMs / 1000)} s${retried}`,
					todo: 'Try again, or raise Options → Request Timeout.',
					code: null,
				};
			}
			if (outcome.reason === 'refused' || outcome.reason === 'dns') {
				return {
					happened: `Could not reach Kirin at ${context.baseUrl}`,
					todo: 'Check the Base URL in the Kirin API credential and the network.',
					code: null,
				};
			}
			return {
				happened: `The connection to Kirin broke off${retried}`,
				todo: 'Try again in a moment.',
				code: null,
			};
		case 'cancelled':
			return {
				happened: 'The execution was cancelled before Kirin answered',
				todo: 'Run the workflow again if you still need the video.',
				code: null,
			};
	}
}

/** The description: what to do, then what Kirin said in its own words (redacted). */
export function describe(
	todo: string,
	said: string | null | undefined,
	redact: (text: string) => string,
): string {
	return said ? `${todo} Kirin said: ${redact(said)}` : todo;
}

/** Turns a failed outcome into the error a no-code user sees. Never includes the API key. */
export function toNodeError(node: INode, outcome: Failure, context: FailureContext): NodeApiError {
	const { happened, todo, code } = copyFor(outcome, context);
	const httpCode =
		outcome.kind === 'http-error' || outcome.kind === 'bad-body' ? String(outcome.status) : undefined;
	const details: JsonObject = { kind: outcome.kind, code, httpCode: httpCode ?? null };
	return new NodeApiError(node, details, {
		message: happened + suffix(context.itemIndex, code),
		description: describe(todo, apiErrorOf(outcome)?.message, context.redact),
		httpCode,
		itemIndex: context.itemIndex,
	});
}

/**
 * The error for a lookup by external task ID that finds no task filed under it. Kirin's lookup
 * route takes task IDs too, but only a task filed under the external task ID is handed on
 * (tasks.ts), so a task ID typed in as an external task ID ends here: the fix says which choice
 * takes it.
 */
export function noTaskUnderExternalIdError(
	node: INode,
	externalTaskId: string,
	itemIndex: number,
): NodeApiError {
	return new NodeApiError(
		node,
		{ externalTaskId },
		{
			message: `No task was created under external task ID "${externalTaskId}" [item ${itemIndex}]`,
			description: `If "${externalTaskId}" is a task ID (the id Create outputs), choose Look Up By: Task ID. Otherwise check the external task ID, and that the task was created with this credential's API key.`,
			httpCode: '404',
			itemIndex,
		},
	);
}

/** The error for a task that reached "failed" or "cancelled". */
export function taskFailedError(
	node: INode,
	task: { id: string; status: string; errorCode: number | null; errorMessage: string | null },
	itemIndex: number,
	redact: (text: string) => string,
): NodeApiError {
	const known = describeCode(task.errorCode);
	const { happened, todo } =
		task.status === 'cancelled'
			? {
					happened: `Kirin task ${task.id} was cancelled`,
					todo: 'Create it again if you still need the video.',
				}
			: known
				? { happened: `${known.happened} (task ${task.id})`, todo: known.todo }
				: { happened: `Kirin task ${task.id} failed`, todo: 'Run it again, or try another image or prompt.' };
	return new NodeApiError(
		node,
		{ taskId: task.id, code: task.errorCode, status: task.status },
		{
			message: happened + suffix(itemIndex, task.errorCode),
			description: describe(todo, task.errorMessage, redact),
			itemIndex,
		},
	);
}

/**
 * The error for a video link that the video's host, or the storage a redirect led to, refused
 * (401, 403) or no longer has (404, 410). Kirin itself gave the task a moment before, so this
 * blames neither the API key nor the task: the link expired, or its storage refuses it. Names the
 * host only (a signed link's query is a credential of its own).
 */
export function videoLinkError(
	node: INode,
	failure: Failure,
	context: {
		itemIndex: number;
		taskId: string;
		/** The URL that answered (after redirects). */
		answeredBy: string;
		/** Whether Kirin gave a new link that failed too, or no other link. */
		freshLink: boolean;
		redact: (text: string) => string;
	},
): NodeApiError {
	const status = failure.kind === 'http-error' ? failure.status : null;
	const host = context.redact(originOf(context.answeredBy) ?? 'the video host');
	const answered = status === null ? '' : ` (${host} answered HTTP ${status})`;
	const again = context.freshLink
		? 'The node asked Kirin for the task again and its new link failed too.'
		: 'The node asked Kirin for the task again and got no other link.';
	return new NodeApiError(
		node,
		{ kind: 'video-link', taskId: context.taskId, httpCode: status === null ? null : String(status) },
		{
			message: `The video link of Kirin task ${context.taskId} failed: it has expired or was refused${answered} [item ${context.itemIndex}]`,
			description: `${again} The task itself is fine: download its video later with Get Status (Look Up By: Task ID, task ${context.taskId}, Download Video on), which asks Kirin for a fresh link; if that keeps failing, the video may have been removed from Kirin's storage.`,
			httpCode: status === null ? undefined : String(status),
			itemIndex: context.itemIndex,
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
