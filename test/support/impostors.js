// @ts-check
// Servers that are not Kirin, for tests of what a wrong Base URL looks like: a website's
// 404 page, another service's JSON, a redirect. Plain JavaScript like the simulator.
const http = require('node:http');

/**
 * @typedef {{ status: number, headers?: Record<string, string>, body?: string }} Reply
 * @typedef {{ url: string, requests: Array<{ method: string, path: string, authorization: string }>, stop(): Promise<void> }} Impostor
 */

/**
 * Answers every request with the same reply.
 * @param {Reply} reply
 * @returns {Promise<Impostor>}
 */
async function startImpostor(reply) {
	/** @type {Impostor['requests']} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({
			method: req.method ?? '',
			path: req.url ?? '',
			authorization: String(req.headers.authorization ?? ''),
		});
		res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

/**
 * A loopback URL where nothing listens: a port the system just handed out and took back.
 * @returns {Promise<string>}
 */
async function unusedUrl() {
	const server = http.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return `http://127.0.0.1:${port}`;
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
	redirect: { status: 301, headers: { location: 'https://example.invalid/model/v1/generation/task/x' } },
};

module.exports = { startImpostor, unusedUrl, WRONG_BASE_URL_REPLIES };
