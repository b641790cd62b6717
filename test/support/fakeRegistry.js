// @ts-check
// A stand-in npm registry on loopback that records what npm sends and accepts any publish, so a
// test can see whether `npm publish` would have uploaded anything. Nothing leaves the machine.
const { readBody, serve } = require('./httpServer');

/** @returns {Promise<{ url: string, requests: string[], stop(): Promise<void> }>} */
async function startFakeRegistry() {
	/** @type {string[]} */
	const requests = [];
	const listening = await serve(async (req, res) => {
		requests.push(`${req.method} ${req.url}`);
		await readBody(req);
		const published = req.method === 'PUT';
		res
			.writeHead(published ? 201 : 404, { 'content-type': 'application/json' })
			.end(published ? '{"ok":true}' : '{"error":"not_found"}');
	});
	return { url: `${listening.url}/`, requests, stop: listening.stop };
}

module.exports = { startFakeRegistry };
