// @ts-check
// How the simulator words its answers: one profile per reading of the API, everything that
// differs between them in this file. The task store and the clock are the same for both; a
// profile only renders a stored task (for a create, a get and a callback), names the status
// words, shapes error bodies and says whether a task can be found by its external task ID.
//
// - seed: the API as docs/API.md reads the model's notes (bare task objects, `error`, `usage`).
//   It offers the gateway's pre-charge route (price quotes), as the gateway's public SDK shows.
// - strict: the API as Kling's own public image2video API answers (the model family behind
//   `kirin_*`): every answer wrapped in `{code, message, request_id, data}`, Kling's field names
//   (`task_id`, `task_status`, `task_status_msg`, `task_info`, `task_result.videos[]`, times in
//   ms), no look-up by external task ID (Kling queries that through a separate parameter, not the
//   task path), no cost in dollars (Kling reports `final_unit_deduction`, units of a resource
//   pack), Kling's service codes where the seed names none, and a repeated `external_task_id`
//   accepted as a new task: the worst case for the node, which must not lean on the API to
//   deduplicate. No pre-charge route either (it is the gateway's, not Kling's): a quote is a 404,
//   the worst case for spend limits, which must then stop or go ahead as the user chose.
const { randomUUID } = require('node:crypto');

/**
 * @typedef {import('./taskClock').Vocabulary} Vocabulary
 * @typedef {import('./taskClock').TaskRecord} TaskRecord
 * @typedef {'unauthorized' | 'badRequest' | 'notFound' | 'rateLimited'} ErrorKind
 * @typedef {'price' | 'miss' | 'missing'} QuoteMode how the pre-charge route answers: a price
 *   from the price table, a cache miss for every request, or 404 (no such route)
 * @typedef {{
 *   name: 'seed' | 'strict',
 *   vocabulary: Vocabulary,
 *   findsByExternalId: boolean,
 *   quotes: QuoteMode,
 *   created: (record: TaskRecord) => unknown,
 *   got: (record: TaskRecord) => unknown,
 *   callback: (record: TaskRecord) => unknown,
 *   codes: Record<ErrorKind, number>,
 *   codeForStatus: (status: number) => number,
 *   error: (code: number, message: string) => Record<string, unknown>,
 * }} Profile
 */

/** @param {TaskRecord} record */
const asStored = (record) => structuredClone(record.task);

/** @type {Profile} */
const seed = {
	name: 'seed',
	vocabulary: { queued: 'pending', processing: 'in_progress', completed: 'succeed', failed: 'failed' },
	findsByExternalId: true,
	quotes: 'price',
	created: asStored,
	got: asStored,
	callback: asStored,
	codes: { unauthorized: 8002009006, badRequest: 400, notFound: 404, rateLimited: 429 },
	codeForStatus: (status) => status,
	error: (code, message) => ({ code, message }),
};

// Kling's service codes (its "General Information" page): 401/1000 authentication failed,
// 400/1200 invalid request parameters, 429/1302 requests too fast, 5000–5002 server errors.
// It names no code of its own for an unknown task, so that one keeps the HTTP status.
const KLING_SERVER_CODES = /** @type {Record<number, number>} */ ({ 500: 5000, 503: 5001, 504: 5002 });

/** The fields every Kling task carries. @param {TaskRecord} record */
function klingHead(record) {
	const { task } = record;
	return {
		task_id: task.id,
		task_status: task.status,
		task_info: task.external_task_id ? { external_task_id: task.external_task_id } : {},
		created_at: record.createdMs,
		updated_at: record.updatedMs,
	};
}

/** The task as Kling's query and callback show it: a reason when failed, videos when done. @param {TaskRecord} record */
function klingTask(record) {
	const { task } = record;
	const videos = (task.output ?? []).flatMap((entry) =>
		/** @type {{ content: { url: string, duration: string, jobId: string }[] }} */ (entry).content.map(
			(content) => ({ id: content.jobId, url: content.url, duration: content.duration }),
		),
	);
	return {
		...klingHead(record),
		task_status_msg: task.error?.error_message ?? '',
		task_result: { videos },
		// Units of a resource pack, not dollars: its place and kind are Kling's, the number ours.
		...(task.usage ? { final_unit_deduction: String(task.usage.duration / 5) } : {}),
	};
}

/** @param {unknown} data */
const wrapped = (data) => ({ code: 0, message: 'SUCCEED', request_id: randomUUID(), data });

/** @type {Profile} */
const strict = {
	name: 'strict',
	vocabulary: { queued: 'submitted', processing: 'processing', completed: 'succeed', failed: 'failed' },
	findsByExternalId: false,
	quotes: 'missing',
	// A create answers with the task's head only (no result, no status message yet).
	created: (record) => wrapped(klingHead(record)),
	got: (record) => wrapped(klingTask(record)),
	// Kling POSTs the task itself, not wrapped.
	callback: klingTask,
	codes: { unauthorized: 1000, badRequest: 1200, notFound: 404, rateLimited: 1302 },
	codeForStatus: (status) => KLING_SERVER_CODES[status] ?? status,
	error: (code, message) => ({ code, message, request_id: randomUUID() }),
};

const PROFILES = { seed, strict };

/** @typedef {keyof typeof PROFILES} ProfileName */

/** @param {ProfileName} [name] @returns {Profile} */
function profileNamed(name = 'seed') {
	if (!Object.hasOwn(PROFILES, name))
		throw new Error(`simulator: no profile "${name}" (known: ${Object.keys(PROFILES).join(', ')})`);
	return PROFILES[name];
}

module.exports = { profileNamed, PROFILES };
