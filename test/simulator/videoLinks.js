// @ts-check
// Signed video links that stop working, as storage behind a CDN does: an expired signature (403),
// an object gone (404 or 410). A test expires every link handed out so far (`expireVideoLinks`);
// storage then refuses them, in S3's words. With `fresh`, the next task GET hands the task a new
// link that works, as an API that signs a new link per answer does; without, the same dead one.

/** @typedef {{ status: 401 | 403 | 404 | 410, fresh: boolean }} LinkExpiry */
/** @typedef {import('./taskClock').TaskRecord} TaskRecord */

const REFUSALS = /** @type {Record<number, [string, string]>} */ ({
	401: ['AccessDenied', 'Request is missing a valid signature'],
	403: ['AccessDenied', 'Request has expired'],
	404: ['NoSuchKey', 'The specified key does not exist.'],
	410: ['NoSuchKey', 'The object has been removed.'],
});

/** A video URL signed at `sig` (no query before the first expiry, as before links could expire). */
function signedVideoUrl(/** @type {string} */ origin, /** @type {string} */ id, /** @type {number} */ sig) {
	return `${origin}/files/${id}.mp4${sig > 0 ? `?sig=${sig}` : ''}`;
}

/** The signature a link carries (0 for a link without one). @param {URL} url */
function linkSigOf(url) {
	const sig = Number(url.searchParams.get('sig'));
	return Number.isInteger(sig) && sig > 0 ? sig : 0;
}

/**
 * Gives a completed task a new link, if its links expire with `fresh` and its own is dead.
 * @param {{ linkExpiry?: LinkExpiry, linkEpoch: number }} sim @param {TaskRecord} record
 */
function resign(sim, record) {
	if (!sim.linkExpiry?.fresh) return;
	for (const entry of record.task.output ?? []) {
		for (const content of /** @type {{ content: { url: string }[] }} */ (entry).content) {
			const url = new URL(content.url);
			if (linkSigOf(url) >= sim.linkEpoch) continue;
			url.searchParams.set('sig', String(sim.linkEpoch));
			content.url = url.toString();
		}
	}
}

/**
 * Answers a dead link as storage does (XML, S3's codes); false when the link works.
 * @param {{ linkExpiry?: LinkExpiry, linkEpoch: number }} sim @param {URL} url
 * @param {import('node:http').ServerResponse} res
 */
function refuseDeadLink(sim, url, res) {
	if (!sim.linkExpiry || linkSigOf(url) >= sim.linkEpoch) return false;
	const { status } = sim.linkExpiry;
	const [code, message] = REFUSALS[status];
	res
		.writeHead(status, { 'content-type': 'application/xml' })
		.end(
			`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
		);
	return true;
}

module.exports = { signedVideoUrl, linkSigOf, resign, refuseDeadLink };
