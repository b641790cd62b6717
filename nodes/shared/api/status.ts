/** A task's lifecycle, as the package names it whatever words the API uses. */
export type TaskStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type FinalStatus = Extract<TaskStatus, 'completed' | 'failed' | 'cancelled'>;

export function isFinal(status: TaskStatus): status is FinalStatus {
	return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** Ended without a video: never reused for another create. */
export function isSpent(status: TaskStatus): boolean {
	return status === 'failed' || status === 'cancelled';
}

// The provider's documents use several vocabularies for the same lifecycle.
const STATUS_WORDS: Record<TaskStatus, readonly string[]> = {
	queued: ['pending', 'queued', 'in_queue', 'submitted', 'created', 'waiting'],
	processing: ['in_progress', 'processing', 'running', 'generating', 'started'],
	completed: ['completed', 'succeed', 'succeeded', 'success', 'done', 'finished'],
	failed: ['failed', 'error', 'failure'],
	cancelled: ['cancelled', 'canceled', 'aborted'],
};

const BY_WORD = new Map<string, TaskStatus>(
	Object.entries(STATUS_WORDS).flatMap(([status, words]) =>
		words.map((word) => [word, status as TaskStatus] as const),
	),
);

/**
 * Maps a raw status word to one of five states. An unknown word counts as still processing:
 * waiting a little longer is cheaper than declaring a paid video lost.
 */
export function normaliseStatus(raw: unknown): TaskStatus {
	const word =
		typeof raw === 'string'
			? raw
					.trim()
					.toLowerCase()
					.replace(/[\s-]+/g, '_')
			: '';
	return BY_WORD.get(word) ?? 'processing';
}
