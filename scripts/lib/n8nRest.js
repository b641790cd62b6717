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
 * Every execution of a workflow, each once. Both lines page at most 100, newest first: 2.x with
 * an opaque `nextCursor`, 1.x by "IDs below `lastId`".
 * @param {N8nSession} session @param {string} workflowId
 * @returns {Promise<Array<{ id: string, status: string }>>}
 */
async function listExecutions(session, workflowId) {
	const filter = encodeURIComponent(
		JSON.stringify(LEGACY ? { workflowId, status: ALL_STATUSES } : { workflowId }),
	);
	/** @type {Map<string, { id: string, status: string }>} */
	const all = new Map();
	// Keyed by ID, so an execution listed on two pages counts once.
	for (let next = ''; ; ) {
		const page = await session.request('GET', `/rest/executions?filter=${filter}&limit=100${next}`);
		for (const execution of page.results) all.set(String(execution.id), execution);
		if (page.results.length === 0) break;
		if (LEGACY) {
			if (page.results.length < 100) break;
			next = `&lastId=${Math.min(...page.results.map((/** @type {any} */ e) => Number(e.id)))}`;
		} else {
			if (!page.nextCursor) break;
			next = `&cursor=${encodeURIComponent(page.nextCursor)}`;
		}
	}
	return [...all.values()];
}

module.exports = { newWorkflowFields, runBody, activate, listExecutions };
