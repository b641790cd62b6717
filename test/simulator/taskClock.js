// @ts-check
// The task clock: a task is queued, starts processing after `queuedMs` (or, when the provider
// runs only so many generations at once, when a slot frees up, oldest first), and ends after its
// generation time (`generationMs`, spread by `jitter` per task), completed with a video (or
// failed, for the prompt tags below). Progress moves with the time spent generating. Tests can
// also move a task on at once. Every change is handed to `changed` (events and callbacks).

/**
 * @typedef {{ queued: string, processing: string, completed: string, failed: string }} Vocabulary
 * @typedef {{ id: string, status: string, model: string, created_at: number, progress: number,
 *   external_task_id?: string, metadata: { external_task_id?: string }, output?: unknown[],
 *   usage?: { cost: string, discount: number, duration: number }, error?: { code: number, error_message: string },
 *   completed_at?: number }} Task
 * @typedef {{ task: Task, params: Record<string, any>, timers: NodeJS.Timeout[], final: boolean,
 *   createdMs: number, updatedMs: number, body?: Record<string, any>, startedMs?: number,
 *   generationMs?: number, inSlot?: boolean }} TaskRecord
 * @typedef {{ limit: number, busy: number, waiting: TaskRecord[] }} Slots
 * @typedef {{ vocabulary: Vocabulary, queuedMs: number, generationMs: number, jitter: number,
 *   priceOf: (duration: string) => string, videoOrigin: () => string, linkSig: () => number,
 *   changed: (record: TaskRecord) => void, ended: () => void, flakyFailed: Set<string>,
 *   slots: Slots }} Clock
 */

const { signedVideoUrl } = require('./videoLinks');

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

/**
 * A task's own generation time: `generationMs`, spread by ±`jitter` (a fraction), the same for
 * the same task ID every run. @param {Clock} clock @param {string} id
 */
function generationTime(clock, id) {
	let hash = 2166136261;
	for (const char of id) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
	const spread = (hash / 0xffffffff) * 2 - 1;
	return Math.max(1, Math.round(clock.generationMs * (1 + clock.jitter * spread)));
}

/**
 * Starts the clock of a new task. A prompt tagged "#refused" is refused (8002009098) as soon as
 * its create has been answered, as a moderation check right after the create would: its failed
 * callback races the creator's next step. @param {Clock} clock @param {TaskRecord} record
 */
function start(clock, record) {
	if (String(record.params.prompt).includes('#refused')) return finish(clock, record, GENERATION_FAILED);
	record.timers.push(setTimeout(() => takeSlot(clock, record), clock.queuedMs));
}

/** Generates now if the provider has a free slot, else waits for one (oldest first). @param {Clock} clock @param {TaskRecord} record */
function takeSlot(clock, record) {
	if (record.final) return;
	if (clock.slots.busy >= clock.slots.limit) return void clock.slots.waiting.push(record);
	clock.slots.busy += 1;
	record.inSlot = true;
	record.generationMs = generationTime(clock, record.task.id);
	advance(clock, record);
	const failure = failureFor(record.params.prompt, clock.flakyFailed);
	record.timers.push(setTimeout(() => finish(clock, record, failure), record.generationMs));
}

/** Gives a finished task's slot to the oldest waiting one. @param {Clock} clock @param {TaskRecord} record */
function freeSlot(clock, record) {
	if (!record.inSlot) return;
	record.inSlot = false;
	clock.slots.busy -= 1;
	// Tasks a test finished while they waited do not need the slot.
	let next = clock.slots.waiting.shift();
	while (next?.final) next = clock.slots.waiting.shift();
	if (next) takeSlot(clock, next);
}

/** @param {Clock} clock @param {TaskRecord} record */
function advance(clock, record) {
	if (record.final) return;
	record.startedMs = Date.now();
	record.task.status = clock.vocabulary.processing;
	record.task.progress = 0;
	clock.changed(record);
}

/**
 * Progress as the API would report it now: the share of its generation time spent, in whole
 * percent, below 100 until done. @param {TaskRecord} record
 */
function refreshProgress(record) {
	if (record.final || record.startedMs === undefined || !record.generationMs) return;
	const share = (Date.now() - record.startedMs) / record.generationMs;
	record.task.progress = Math.min(99, Math.max(0, Math.floor(share * 100)));
}

/** @param {Clock} clock @param {TaskRecord} record @param {number | null} failureCode */
function finish(clock, record, failureCode) {
	if (record.final) return;
	record.final = true;
	record.timers.forEach(clearTimeout);
	clock.ended();
	freeSlot(clock, record);
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
						url: signedVideoUrl(clock.videoOrigin(), task.id, clock.linkSig()),
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

module.exports = { start, moveTo, refreshProgress };
