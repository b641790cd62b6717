// @ts-check
// The task clock: a task is queued, starts processing after `queuedMs`, and ends after
// `generationMs` more, completed with a video (or failed, for the prompt tags below). Tests can
// also move a task on at once. Every change is handed to `changed` (events and callbacks).

/**
 * @typedef {{ queued: string, processing: string, completed: string, failed: string }} Vocabulary
 * @typedef {{ id: string, status: string, model: string, created_at: number, progress: number,
 *   external_task_id?: string, metadata: { external_task_id?: string }, output?: unknown[],
 *   usage?: { cost: string, discount: number, duration: number }, error?: { code: number, error_message: string },
 *   completed_at?: number }} Task
 * @typedef {{ task: Task, params: Record<string, any>, timers: NodeJS.Timeout[], final: boolean,
 *   createdMs: number, updatedMs: number, body?: Record<string, any> }} TaskRecord
 * @typedef {{ vocabulary: Vocabulary, queuedMs: number, generationMs: number, priceOf: (duration: string) => string,
 *   videoOrigin: () => string, changed: (record: TaskRecord) => void, ended: () => void,
 *   flakyFailed: Set<string> }} Clock
 */

const GENERATION_FAILED = 8002009098;
const PROVIDER_UNAVAILABLE = 8002009099;

/**
 * Prompts can ask for a failure: "#fail" → 8002009098 every time, "#unavailable" → 8002009099,
 * "#flaky" → 8002009098 the first time that prompt is generated, then success (a generation
 * that fails by bad luck, as real ones sometimes do).
 * @param {unknown} prompt @param {Set<string>} flakyFailed prompts whose one failure is spent
 */
function failureFor(prompt, flakyFailed) {
	const text = String(prompt);
	if (text.includes('#fail')) return GENERATION_FAILED;
	if (text.includes('#unavailable')) return PROVIDER_UNAVAILABLE;
	if (text.includes('#flaky') && !flakyFailed.has(text)) {
		flakyFailed.add(text);
		return GENERATION_FAILED;
	}
	return null;
}

/** Starts the clock of a new task. @param {Clock} clock @param {TaskRecord} record */
function start(clock, record) {
	record.timers.push(setTimeout(() => advance(clock, record), clock.queuedMs));
	const failure = failureFor(record.params.prompt, clock.flakyFailed);
	record.timers.push(setTimeout(() => finish(clock, record, failure), clock.queuedMs + clock.generationMs));
}

/** @param {Clock} clock @param {TaskRecord} record */
function advance(clock, record) {
	if (record.final) return;
	record.task.status = clock.vocabulary.processing;
	record.task.progress = 10;
	clock.changed(record);
}

/** @param {Clock} clock @param {TaskRecord} record @param {number | null} failureCode */
function finish(clock, record, failureCode) {
	if (record.final) return;
	record.final = true;
	record.timers.forEach(clearTimeout);
	clock.ended();
	const { task } = record;
	task.completed_at = Math.floor(Date.now() / 1000);
	if (failureCode) {
		task.status = clock.vocabulary.failed;
		task.error = {
			code: failureCode,
			error_message:
				failureCode === PROVIDER_UNAVAILABLE ? 'provider unavailable' : 'generation process failed',
		};
	} else {
		const duration = record.params.duration ?? '5';
		task.status = clock.vocabulary.completed;
		task.progress = 100;
		task.output = [
			{
				content: [
					{
						type: 'video',
						url: `${clock.videoOrigin()}/files/${task.id}.mp4`,
						duration,
						jobId: `job_${task.id}`,
					},
				],
			},
		];
		task.usage = { cost: clock.priceOf(duration), discount: 0, duration: Number(duration) };
	}
	clock.changed(record);
}

/**
 * Forces a task into a state now, as if time had passed.
 * @param {Clock} clock @param {TaskRecord} record @param {'processing' | 'completed' | 'failed'} state
 */
function moveTo(clock, record, state) {
	record.timers.forEach(clearTimeout);
	if (state === 'processing') advance(clock, record);
	else finish(clock, record, state === 'failed' ? GENERATION_FAILED : null);
}

module.exports = { start, moveTo };
