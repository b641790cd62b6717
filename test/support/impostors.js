// @ts-check
// Servers that are not Kirin, for tests of what a wrong Base URL looks like (a website's 404
// page, another service's JSON, a redirect), and a receiver that records what it is sent.
const { readBody, serve, unusedUrl } = require('./httpServer');

/**
 * @typedef {{ status: number, headers?: Record<string, string>, body?: string }} Reply
 * @typedef {{ method: string, path: string, authorization: string, body: string }} Received
 * @typedef {{ url: string, requests: Received[], stop(): Promise<void> }} Impostor
 */

/**
 * Answers every request with the same reply, and records the requests.
 * @param {Reply} reply
 * @returns {Promise<Impostor>}
 */
async function startImpostor(reply) {
	/** @type {Received[]} */
	const requests = [];
	const listening = await serve(async (req, res) => {
		requests.push({
			method: req.method ?? '',
			path: req.url ?? '',
			authorization: String(req.headers.authorization ?? ''),
			body: await readBody(req),
		});
		res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
	});
	return { ...listening, requests };
}

/** Replies a wrong Base URL typically gives. */
const WRONG_BASE_URL_REPLIES = {
	htmlNotFound: {
		status: 404,
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>',
	},
	otherServiceJson: {
		status: 404,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			statusCode: 404,
			error: 'Not Found',
			message: 'Cannot GET /model/v1/generation/task/n8n-credential-check',
		}),
	},
	htmlHomePage: {
		status: 200,
		headers: { 'content-type': 'text/html' },
		body: '<html><body>Welcome</body></html>',
	},
};

module.exports = { startImpostor, unusedUrl, WRONG_BASE_URL_REPLIES };
