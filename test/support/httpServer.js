// @ts-check
// A loopback HTTP server for tests (the trigger's host, impostor APIs, a callback receiver, a
// stand-in registry). Plain JavaScript, like the simulator: the package lints every TypeScript
// file with n8n's rules for node code (strict mode), which keep node:http out of TypeScript.
const http = require('node:http');

/**
 * @typedef {import('node:http').IncomingMessage} Request
 * @typedef {import('node:http').ServerResponse} Response
 * @typedef {{ url: string, stop(): Promise<void> }} Listening
 */

/**
 * Serves `handler` on a free loopback port.
 * @param {(req: Request, res: Response) => void} handler
 * @returns {Promise<Listening>}
 */
async function serve(handler) {
	const server = http.createServer(handler);
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		stop: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

/**
 * A request's body as text.
 * @param {Request} req
 * @returns {Promise<string>}
 */
async function readBody(req) {
	/** @type {Buffer[]} */
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * A loopback URL where nothing listens: a port the system just handed out and took back.
 * @returns {Promise<string>}
 */
async function unusedUrl() {
	const listening = await serve(() => {});
	await listening.stop();
	return listening.url;
}

module.exports = { serve, readBody, unusedUrl };
