// @ts-check
// Where n8n's REST API differs between the 2.x line (the default) and the 1.x line the
// end-to-end tests also run on (KIRIN_N8N_VERSION, see n8nVersions.js). stack.js calls these and
// reads the same on both lines; everything not here is the same on both.
const { N8N_MAJOR } = require('./n8nServer');

const LEGACY = N8N_MAJOR < 2;
/** @typedef {import('./n8nServer').N8nSession} N8nSession */

/** Fields a new workflow needs besides its content: 1.x stores `active` (NOT NULL) as sent. */
function newWorkflowFields() {
	return LEGACY ? { active: false } : {};
}

/**
 * The body of "run this workflow from that trigger": 2.x runs the saved workflow, 1.x runs the
 * workflow the body carries (and refuses a body without it).
 * @param {N8nSession} session @param {string} workflowId @param {string} triggerName
 */
async function runBody(session, workflowId, triggerName) {
	const body = { triggerToStartFrom: { name: triggerName } };
	if (!LEGACY) return body;
	return { ...body, workflowData: await session.request('GET', `/rest/workflows/${workflowId}`) };
}

/**
 * Activates (publishes) a workflow and resolves once its triggers are live.
 * @param {N8nSession} session @param {string} id @param {string} versionId
 */
async function activate(session, id, versionId) {
	const activated = await session.request('POST', `/rest/workflows/${id}/activate`, { versionId });
	// 1.x registers the triggers before it answers, and answers 400 if one failed.
	if (LEGACY) {
		if (activated?.active !== true)
			throw new Error(`n8n did not activate workflow ${id}: ${JSON.stringify(activated)}`);
		return;
	}
	// 2.x publishes through an outbox in the background: its webhooks answer 404 for a moment
	// after the activate call returns.
	const until = Date.now() + 60_000;
	for (;;) {
		const publication = await session.request('GET', `/rest/workflows/${id}/publication-status`);
		const triggers = publication.triggers ?? [];
		const failed = triggers.find((/** @type {any} */ trigger) => trigger.status === 'failed');
		if (failed) throw new Error(`n8n could not activate workflow ${id}: ${failed.errorMessage}`);
		const live =
			publication.status !== 'in_progress' &&
			!publication.pendingVersionId &&
			triggers.length > 0 &&
			triggers.every((/** @type {any} */ trigger) => trigger.status === 'activated');
		if (live) return;
		if (Date.now() > until)
			throw new Error(`workflow ${id} was not live after 60 s: ${JSON.stringify(publication)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

// Every status an execution can have; 1.x lists by ID only when a status filter is given.
const ALL_STATUSES = ['new', 'running', 'waiting', 'success', 'error', 'canceled', 'crashed', 'unknown'];

/**
 * Every execution of a workflow, each once. Both lines page at most 100, newest first.
 *
 * 1.x pages by "IDs below `lastId`". 2.x orders a page by start time but its `nextCursor` asks
 * for "IDs below the last row's": an execution created after another but started before it
 * (50 callbacks at once) falls between two pages and is never listed. So on 2.x each next page
 * is "started no later than the oldest start seen, plus a millisecond" (n8n's filter is
 * inclusive; the overlap is listed twice and counted once).
 * @param {N8nSession} session @param {string} workflowId
 * @returns {Promise<Array<{ id: string, status: string }>>}
 */
async function listExecutions(session, workflowId) {
	/** @type {Map<string, { id: string, status: string }>} */
	const all = new Map();
	/** @param {Record<string, unknown>} filter @param {string} [more] */
	const page = async (filter, more = '') =>
		(
			await session.request(
				'GET',
				`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId, ...filter }))}&limit=100${more}`,
			)
		).results;
	if (LEGACY) {
		for (let more = ''; ; ) {
			const results = await page({ status: ALL_STATUSES }, more);
			for (const execution of results) all.set(String(execution.id), execution);
			if (results.length < 100) break;
			more = `&lastId=${Math.min(...results.map((/** @type {any} */ e) => Number(e.id)))}`;
		}
		return [...all.values()];
	}
	/** @type {Record<string, unknown>} */
	let filter = {};
	for (;;) {
		const results = await page(filter);
		const before = all.size;
		for (const execution of results) all.set(String(execution.id), execution);
		if (results.length < 100) break;
		const oldest = Math.min(
			...results.map((/** @type {any} */ e) => Date.parse(e.startedAt ?? e.createdAt)),
		);
		// A full page of nothing new: over 100 runs started within the overlap; step past it.
		const overlapMs = all.size > before ? 1 : -1;
		filter = { startedBefore: new Date(oldest + overlapMs).toISOString() };
	}
	return [...all.values()];
}

module.exports = { newWorkflowFields, runBody, activate, listExecutions };
