// @ts-check
// A public-looking host name that reaches a loopback server, for this test process only. The
// Kirin node judges a callback URL only when the API's Base URL is a public host, and the
// simulator listens on 127.0.0.1. Node's net module asks `dns.lookup` at connect time, and n8n's
// HTTP helper connects through Node's http agent with no lookup of its own (SSRF protection off,
// n8n's default); so answering 127.0.0.1 for one name here makes the node's requests reach the
// simulator while the node sees a public host. No /etc/hosts, no DNS server; every other name
// resolves as usual. Plain JavaScript: the package lints TypeScript with n8n's rules for node
// code, which keep node:dns out of it (see httpServer.js).
const dns = require('node:dns');

/**
 * Resolves `name` to 127.0.0.1 until the returned function is called.
 * @param {string} name
 * @returns {() => void} restores dns.lookup
 */
function resolveToLoopback(name) {
	const real = dns.lookup;
	/** @type {any} */
	const lookup = (/** @type {string} */ hostname, /** @type {any[]} */ ...rest) =>
		/** @type {any} */ (real)(hostname === name ? '127.0.0.1' : hostname, ...rest);
	dns.lookup = lookup;
	return () => {
		dns.lookup = real;
	};
}

module.exports = { resolveToLoopback };
