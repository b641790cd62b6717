import type { Failure } from '../transport/outcome';

/**
 * What this n8n process has learned about a Kirin API (by base URL) while it ran: the tasks it
 * created or found, by external task ID, and whether the API finds a task by its external task
 * ID at all (the seed says it does; a stricter gateway may answer 404 to every such lookup).
 *
 * Why: idempotency rests on finding an earlier task under its external task ID. Where the API
 * cannot do that, this memory still finds the tasks this process made (by their own IDs), and
 * a 404 is not taken as proof that a create did not take effect. It also keeps the external
 * task IDs whose create got no clear answer, so n8n's Retry On Fail (or another run) does not
 * send them again on a 404 that proves nothing. The memory is per process and bounded: after a
 * restart, or on another queue-mode worker, only the API's own lookup helps.
 */

export type ExternalLookup = 'works' | 'missing' | 'unknown';

interface ApiMemory {
	/** External task ID → task ID, oldest first (a Map keeps insertion order). */
	tasks: Map<string, string>;
	/** External task ID → what went wrong, for creates whose outcome stayed unknown. */
	unsure: Map<string, Failure>;
	externalLookup: ExternalLookup;
}

const REMEMBERED_TASKS = 10_000;
const memories = new Map<string, ApiMemory>();

function memoryOf(baseUrl: string): ApiMemory {
	let memory = memories.get(baseUrl);
	if (!memory) {
		memory = { tasks: new Map(), unsure: new Map(), externalLookup: 'unknown' };
		memories.set(baseUrl, memory);
	}
	return memory;
}

/** Adds an entry as the newest, dropping the oldest beyond the bound. */
function keep<V>(map: Map<string, V>, key: string, value: V): void {
	map.delete(key);
	map.set(key, value);
	if (map.size > REMEMBERED_TASKS) map.delete(map.keys().next().value as string);
}

export function rememberTask(baseUrl: string, externalTaskId: string, taskId: string): void {
	const memory = memoryOf(baseUrl);
	keep(memory.tasks, externalTaskId, taskId);
	memory.unsure.delete(externalTaskId);
}

/** A create under this external task ID may have started a video: nobody could say. */
export function rememberUnsureCreate(baseUrl: string, externalTaskId: string, failure: Failure): void {
	keep(memoryOf(baseUrl).unsure, externalTaskId, failure);
}

/** Why a create under this external task ID has an unknown outcome; undefined when it has none. */
export function unsureCreateOf(baseUrl: string, externalTaskId: string): Failure | undefined {
	return memoryOf(baseUrl).unsure.get(externalTaskId);
}

/** The API said there is no such task, and its lookup is known to work: the create did not take effect. */
export function forgetUnsureCreate(baseUrl: string, externalTaskId: string): void {
	memoryOf(baseUrl).unsure.delete(externalTaskId);
}

export function recallTask(baseUrl: string, externalTaskId: string): string | undefined {
	return memoryOf(baseUrl).tasks.get(externalTaskId);
}

export function forgetTask(baseUrl: string, externalTaskId: string): void {
	memoryOf(baseUrl).tasks.delete(externalTaskId);
}

/** A task this process knows by external task ID, other than `except`: material for a probe. */
export function anyKnownTask(
	baseUrl: string,
	except: string,
): { externalTaskId: string; taskId: string } | null {
	for (const [externalTaskId, taskId] of memoryOf(baseUrl).tasks) {
		if (externalTaskId !== except) return { externalTaskId, taskId };
	}
	return null;
}

export function externalLookupOf(baseUrl: string): ExternalLookup {
	return memoryOf(baseUrl).externalLookup;
}

export function learnExternalLookup(baseUrl: string, state: Exclude<ExternalLookup, 'unknown'>): void {
	memoryOf(baseUrl).externalLookup = state;
}

/** For tests: a fresh process's memory. */
export function forgetAllApis(): void {
	memories.clear();
}
