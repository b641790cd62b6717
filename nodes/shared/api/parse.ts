import type { IDataObject } from 'n8n-workflow';

import { describeCode } from './errorCodes';
import { isObject, num, readTimestamp, text } from './parseValues';
import { isFinal, normaliseStatus, type TaskStatus } from './status';

/**
 * The one place where API bodies are read: tasks (create, get, callback), price quotes and error
 * shapes.
 * Everything is defensive because the provider's documents disagree on details. Two task shapes
 * are read into one: the gateway's (`id`, `status`, `output`, `usage`, `error`, `metadata`) and
 * Kling's, the model family behind `kirin_*` (`task_id`, `task_status`, `task_status_msg`,
 * `task_info`, `task_result`, times in milliseconds), each bare or wrapped as `{code, data}`.
 */

export interface KirinVideo {
	type: string;
	url: string;
	duration: number | null;
	jobId: string | null;
}

/**
 * One task, normalised: the same flat shape whether it came from a create, a status query
 * or a callback. This is what users see as an output item's JSON.
 */
export interface KirinTask {
	id: string;
	externalTaskId: string | null;
	status: TaskStatus;
	rawStatus: string;
	progress: number | null;
	videoUrl: string | null;
	videos: KirinVideo[];
	duration: number | null;
	cost: number | null;
	discount: number | null;
	createdAt: string | null;
	completedAt: string | null;
	errorCode: number | null;
	errorMessage: string | null;
	model: string | null;
}

type Json = Record<string, unknown>;

export interface ParsedApiError {
	code: number | null;
	message: string | null;
}

/**
 * A message that starts with one of the codes errorCodes.ts knows, as the gateway's CLI writes a
 * task's error (`"8002009098: Generation process failed"`): that code, so the user reads its
 * advice. Any other leading number stays part of the message.
 */
function leadingCode(message: string): ParsedApiError {
	const match = /^(\d{6,})\s*[:\-–—]\s*(.*)$/s.exec(message);
	const code = match ? Number(match[1]) : null;
	if (match === null || describeCode(code) === undefined) return { code: null, message };
	return { code, message: match[2].trim() || message };
}

/**
 * Reads `{code, error_message}`, `{code, message}`, `{code, msg}` or a plain string; a message
 * without a code that starts with a known one is read as that code.
 */
export function parseErrorShape(value: unknown): ParsedApiError | null {
	if (typeof value === 'string') return value.trim() ? leadingCode(value.trim()) : null;
	if (!isObject(value)) return null;
	if (isObject(value.error)) return parseErrorShape(value.error);
	const code = num(value.code);
	const message = text(value.error_message) ?? text(value.message) ?? text(value.msg) ?? text(value.error);
	if (code === null && message === null) return null;
	return code === null && message !== null ? leadingCode(message) : { code, message };
}

/** The task's ID, in either shape. */
function taskId(value: Json): string | null {
	return text(value.id) ?? text(value.task_id);
}

/**
 * The task ID in a body that is not a whole task (a create answered 2xx with a part it cannot
 * read, or none): a task was made, and this is how to ask for it. Null when there is none.
 */
export function parseTaskId(body: unknown): string | null {
	const task = unwrap(body);
	return task === null ? null : taskId(task);
}

/** A gateway may wrap the task as `{code: 0, data: task}` (Kling always does); accept both. */
function unwrap(body: unknown): Json | null {
	if (!isObject(body)) return null;
	if (isObject(body.data) && taskId(body.data) !== null) return body.data;
	return body;
}

function parseContent(content: unknown, type: string): KirinVideo[] {
	if (!isObject(content)) return [];
	const url = text(content.url);
	if (url === null) return [];
	return [
		{
			type: text(content.type) ?? type,
			url,
			duration: num(content.duration),
			jobId: text(content.jobId) ?? text(content.job_id) ?? text(content.id),
		},
	];
}

/** The gateway's `output: [{content: [...]}]`. */
function parseOutput(output: unknown): KirinVideo[] {
	if (!Array.isArray(output)) return [];
	return output.flatMap((entry) => {
		const contents = isObject(entry) && Array.isArray(entry.content) ? entry.content : [entry];
		return contents.flatMap((content) => parseContent(content, 'video'));
	});
}

/** Kling's `task_result: {videos: [...], images: [...]}`. */
function parseResult(result: unknown): KirinVideo[] {
	if (!isObject(result)) return [];
	const listed = (list: unknown, type: string) =>
		Array.isArray(list) ? list.flatMap((content) => parseContent(content, type)) : [];
	return [...listed(result.videos, 'video'), ...listed(result.images, 'image')];
}

/** Why a failed task failed: the gateway's `error` object, else Kling's `task_status_msg`. */
function failureOf(task: Json, status: TaskStatus): ParsedApiError | null {
	const error = parseErrorShape(task.error);
	if (error !== null || status !== 'failed') return error;
	const reason = text(task.task_status_msg);
	return reason === null ? null : { code: null, message: reason };
}

/**
 * Returns the normalised task, or null when the body is not a task at all. Never throws: a body
 * no reader here expected is "not a task", which every caller already handles (a create's
 * outcome is then settled by looking its external task ID up, a callback is answered 400).
 */
export function parseTask(body: unknown, knownExternalTaskId?: string): KirinTask | null {
	try {
		return readTask(body, knownExternalTaskId);
	} catch {
		return null;
	}
}

function readTask(body: unknown, knownExternalTaskId?: string): KirinTask | null {
	const task = unwrap(body);
	if (task === null) return null;
	const id = taskId(task);
	const rawStatus = 'status' in task ? task.status : task.task_status;
	if (id === null || rawStatus === undefined) return null;

	const metadata = isObject(task.metadata) ? task.metadata : {};
	const info = isObject(task.task_info) ? task.task_info : {};
	// Only the gateway's `usage.cost` is dollars; Kling's `final_unit_deduction` counts units
	// of a resource pack, so it is not read as a cost.
	const usage = isObject(task.usage) ? task.usage : {};
	const videos = [...parseOutput(task.output), ...parseResult(task.task_result)];
	const firstVideo = videos.find((video) => video.type === 'video') ?? videos[0];
	const status = normaliseStatus(rawStatus);
	const error = failureOf(task, status);
	// Kling stamps no end time; a final task's last update is when it ended.
	const ended = task.completed_at ?? task.finished_at ?? task.ended_at;

	return {
		id,
		externalTaskId:
			text(task.external_task_id) ??
			text(metadata.external_task_id) ??
			text(info.external_task_id) ??
			knownExternalTaskId ??
			null,
		status,
		rawStatus: text(rawStatus) ?? '',
		progress: num(task.progress),
		videoUrl: firstVideo?.url ?? null,
		videos,
		duration: firstVideo?.duration ?? num(usage.duration),
		cost: num(usage.cost),
		discount: num(usage.discount),
		createdAt: readTimestamp(task.created_at),
		completedAt: readTimestamp(ended ?? (isFinal(status) ? task.updated_at : undefined)),
		errorCode: error?.code ?? null,
		errorMessage: error?.message ?? (status === 'failed' ? 'The task failed without a reason.' : null),
		model: text(task.model),
	};
}

/**
 * A price quote from the pre-charge route: the price, or the API's reason for giving none (for
 * example `COST_CACHE_MISS`: the gateway has not priced such a request yet).
 */
export type Quote =
	| { known: true; cost: number; currency: string; discount: number | null }
	| { known: false; apiReason: string | null };

/**
 * Reads `{status: "success", data: {cost: "0.0357", currency: "USD", discount: 0.7, ...}}` or
 * `{status: "failed", data: {cost: null, reason: "COST_CACHE_MISS"}}`; a Kling-style
 * `{code: 0, data}` wrapper is read the same way. Null when the body is not a quote at all. The
 * gateway states costs in US dollars (its tasks' `usage.cost`), so a quote without a currency is
 * taken as USD; one in another currency is returned as such, for the caller to judge.
 */
export function parseQuote(body: unknown): Quote | null {
	if (!isObject(body) || !isObject(body.data)) return null;
	const { data } = body;
	const status = text(body.status)?.toLowerCase() ?? null;
	if (status !== null && status !== 'success' && status !== 'failed') return null;
	if (status === null && 'code' in body && num(body.code) !== 0) return null;
	const cost = num(data.cost);
	if (status !== 'failed' && cost !== null && cost >= 0) {
		return { known: true, cost, currency: text(data.currency) ?? 'USD', discount: num(data.discount) };
	}
	if (!('cost' in data) && !('reason' in data)) return null;
	return { known: false, apiReason: text(data.reason) };
}

/** A task as an output item's JSON: the same flat shape from every node and operation. */
export function taskJson(task: KirinTask): IDataObject {
	return { ...task, videos: task.videos.map((video) => ({ ...video })) };
}
