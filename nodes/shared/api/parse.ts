import type { IDataObject } from 'n8n-workflow';

import { normaliseStatus, type TaskStatus } from './status';

/**
 * The one place where API bodies are read: tasks (create, get, callback) and error shapes.
 * Everything is defensive because the provider's documents disagree on details.
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

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function num(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
		return Number(value);
	}
	return null;
}

/** Unix seconds, unix milliseconds or an ISO string, to ISO 8601. */
function timestamp(value: unknown): string | null {
	const n = num(value);
	if (n !== null) return new Date(n < 1e12 ? n * 1000 : n).toISOString();
	const s = text(value);
	if (s === null) return null;
	const date = new Date(s);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export interface ParsedApiError {
	code: number | null;
	message: string | null;
}

/** Reads `{code, error_message}`, `{code, message}`, `{code, msg}` or a plain string. */
export function parseErrorShape(value: unknown): ParsedApiError | null {
	if (typeof value === 'string') return value.trim() ? { code: null, message: value.trim() } : null;
	if (!isObject(value)) return null;
	if (isObject(value.error)) return parseErrorShape(value.error);
	const code = num(value.code);
	const message = text(value.error_message) ?? text(value.message) ?? text(value.msg) ?? text(value.error);
	if (code === null && message === null) return null;
	return { code, message };
}

/** A gateway may wrap the task as `{code: 0, data: task}`; accept both. */
function unwrap(body: unknown): Json | null {
	if (!isObject(body)) return null;
	if (isObject(body.data) && text(body.data.id) !== null) return body.data;
	return body;
}

function parseVideos(output: unknown): KirinVideo[] {
	if (!Array.isArray(output)) return [];
	return output.flatMap((entry) => {
		const contents = isObject(entry) && Array.isArray(entry.content) ? entry.content : [entry];
		return contents.flatMap((content): KirinVideo[] => {
			if (!isObject(content)) return [];
			const url = text(content.url);
			if (url === null) return [];
			return [
				{
					type: text(content.type) ?? 'video',
					url,
					duration: num(content.duration),
					jobId: text(content.jobId) ?? text(content.job_id),
				},
			];
		});
	});
}

/** Returns the normalised task, or null when the body is not a task at all. */
export function parseTask(body: unknown, knownExternalTaskId?: string): KirinTask | null {
	const task = unwrap(body);
	if (task === null) return null;
	const id = text(task.id) ?? text(task.task_id);
	if (id === null || task.status === undefined) return null;

	const metadata = isObject(task.metadata) ? task.metadata : {};
	const usage = isObject(task.usage) ? task.usage : {};
	const videos = parseVideos(task.output);
	const firstVideo = videos.find((video) => video.type === 'video') ?? videos[0];
	const error = parseErrorShape(task.error);
	const status = normaliseStatus(task.status);

	return {
		id,
		externalTaskId:
			text(task.external_task_id) ?? text(metadata.external_task_id) ?? knownExternalTaskId ?? null,
		status,
		rawStatus: text(task.status) ?? '',
		progress: num(task.progress),
		videoUrl: firstVideo?.url ?? null,
		videos,
		duration: firstVideo?.duration ?? num(usage.duration),
		cost: num(usage.cost),
		discount: num(usage.discount),
		createdAt: timestamp(task.created_at),
		completedAt: timestamp(task.completed_at ?? task.finished_at ?? task.ended_at),
		errorCode: error?.code ?? null,
		errorMessage: error?.message ?? (status === 'failed' ? 'The task failed without a reason.' : null),
		model: text(task.model),
	};
}

/** A task as an output item's JSON: the same flat shape from every node and operation. */
export function taskJson(task: KirinTask): IDataObject {
	return { ...task, videos: task.videos.map((video) => ({ ...video })) };
}
