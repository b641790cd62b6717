/**
 * What this n8n process has learned about a Kirin API (by base URL) while it ran: the tasks it
 * created or found, by external task ID, and whether the API finds a task by its external task
 * ID at all (the seed says it does; a stricter gateway may answer 404 to every such lookup).
 *
 * Why: idempotency rests on finding an earlier task under its external task ID. Where the API
 * cannot do that, this memory still finds the tasks this process made (by their own IDs), and
 * a 404 is not taken as proof that a create did not take effect. The memory is per process and
 * bounded: after a restart, or on another queue-mode worker, only the API's own lookup helps.
 */

export type ExternalLookup = 'works' | 'missing' | 'unknown';

interface ApiMemory {
	/** External task ID → task ID, oldest first (a Map keeps insertion order). */
	tasks: Map<string, string>;
	externalLookup: ExternalLookup;
}

const REMEMBERED_TASKS = 10_000;
const memories = new Map<string, ApiMemory>();

function memoryOf(baseUrl: string): ApiMemory {
	let memory = memories.get(baseUrl);
	if (!memory) {
		memory = { tasks: new Map(), externalLookup: 'unknown' };
		memories.set(baseUrl, memory);
	}
	return memory;
}

export function rememberTask(baseUrl: string, externalTaskId: string, taskId: string): void {
	const { tasks } = memoryOf(baseUrl);
	tasks.delete(externalTaskId);
	tasks.set(externalTaskId, taskId);
	if (tasks.size > REMEMBERED_TASKS) tasks.delete(tasks.keys().next().value as string);
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
