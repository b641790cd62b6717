// @ts-check
// A stand-in npm registry on loopback that records what npm sends and accepts any publish, so a
// test can see whether `npm publish` would have uploaded anything. Nothing leaves the machine.
const http = require('node:http');

/** @returns {Promise<{ url: string, requests: string[], stop(): Promise<void> }>} */
async function startFakeRegistry() {
	/** @type {string[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		req.resume();
		req.on('end', () => {
			const published = req.method === 'PUT';
			res
				.writeHead(published ? 201 : 404, { 'content-type': 'application/json' })
				.end(published ? '{"ok":true}' : '{"error":"not_found"}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/`,
		requests,
		stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startFakeRegistry };
