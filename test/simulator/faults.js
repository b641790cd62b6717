// @ts-check
// Fault injection: what the API's network or gateway can do to one request. A test queues
// faults per route (`injectFault`); each request on that route takes the next one. Error bodies
// the fault does not spell out are worded by the simulator's profile.
const http = require('node:http');

const { sendJson } = require('./http');

/** @typedef {'create' | 'get' | 'download' | 'precharge'} Route */
/** @typedef {'s' | 'ms' | 'us' | 'ns' | 'numeric string' | 'iso'} TimeUnit */
/** @typedef {import('./profiles').Profile} Profile */
/**
 * @typedef {{ kind: 'status', status: number, body?: string | object, headers?: Record<string, string> }
 *   | { kind: 'rate-limit', retryAfterSeconds: number }
 *   | { kind: 'api-error', code: number, status?: number }
 *   | { kind: 'reset-before' } | { kind: 'reset-after' } | { kind: 'garbled-after' } | { kind: 'hang' }
 *   | { kind: 'late-record' } | { kind: 'timestamps', unit: TimeUnit } | { kind: 'id-only-after' }
 *   | { kind: 'taken-before' } | { kind: 'delay', ms: number }
 *   | { kind: 'malformed-json' } | { kind: 'html', status?: number }
 *   | { kind: 'big-error', bytes: number, status?: number }} Fault
 */

/** @param {http.ServerResponse} res @param {number} bytes @param {number} status */
function sendBigError(res, bytes, status) {
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes });
	const piece = Buffer.alloc(64 * 1024, 0x61);
	let left = bytes;
	const pump = () => {
		while (left > 0) {
			const part = piece.subarray(0, Math.min(piece.length, left));
			left -= part.length;
			if (!res.write(part)) return void res.once('drain', pump);
		}
		res.end();
	};
	res.on('error', () => {});
	pump();
}

/** A 2xx whose JSON is cut off. @param {http.ServerResponse} res */
function sendMalformed(res) {
	res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "tas');
}

/**
 * A time (ms) as an API might write it: Unix seconds, milliseconds, microseconds, nanoseconds,
 * a numeric string (ms) or ISO text. @param {number} ms @param {TimeUnit} unit
 */
function timeIn(ms, unit) {
	switch (unit) {
		case 's':
			return Math.floor(ms / 1000);
		case 'ms':
			return ms;
		case 'us':
			return ms * 1000;
		case 'ns':
			return ms * 1e6;
		case 'numeric string':
			return String(ms);
		case 'iso':
			return new Date(ms).toISOString();
	}
}

/**
 * A task's answer (bare or wrapped in `data`) with its times in `unit`: the `timestamps` fault,
 * which changes an answer instead of replacing it. @param {unknown} body @param {TimeUnit} unit
 * @param {{ createdMs: number, updatedMs: number }} record
 */
function restamped(body, unit, record) {
	const copy = /** @type {Record<string, any>} */ (structuredClone(body));
	const task = copy.data && typeof copy.data === 'object' ? copy.data : copy;
	task.created_at = timeIn(record.createdMs, unit);
	if ('updated_at' in task) task.updated_at = timeIn(record.updatedMs, unit);
	return copy;
}

/**
 * A create's answer cut down to the task's ID (bare or wrapped in `data`): a 2xx the node can
 * read only in part. @param {unknown} body
 */
function idOnly(body) {
	const copy = /** @type {Record<string, any>} */ (structuredClone(body));
	const wrapped = copy.data && typeof copy.data === 'object';
	const task = wrapped ? copy.data : copy;
	const kept = Object.fromEntries(Object.entries(task).filter(([key]) => key === 'id' || key === 'task_id'));
	return wrapped ? { ...copy, data: kept } : kept;
}

/**
 * Applies a fault; true when the request is fully handled by it. A `reset-after`, `garbled-after`
 * or `late-record` on create is the create handler's business (the task is recorded, then the
 * connection dies, the answer cannot be read, or the gateway answers 504 and records it later).
 * @param {Fault} fault @param {http.IncomingMessage} req @param {http.ServerResponse} res
 * @param {Route} route @param {Set<import('node:net').Socket>} held sockets kept open by `hang`
 * @param {Profile} profile
 */
function applyFault(fault, req, res, route, held, profile) {
	switch (fault.kind) {
		case 'status':
			if (typeof fault.body === 'string') {
				res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end(fault.body);
			} else {
				sendJson(
					res,
					fault.status,
					fault.body ?? profile.error(profile.codeForStatus(fault.status), 'simulated failure'),
					fault.headers,
				);
			}
			return true;
		case 'rate-limit':
			sendJson(res, 429, profile.error(profile.codes.rateLimited, 'too many requests'), {
				'retry-after': String(fault.retryAfterSeconds),
			});
			return true;
		case 'api-error':
			sendJson(res, fault.status ?? 503, profile.error(fault.code, 'provider unavailable'));
			return true;
		case 'reset-before':
			req.socket.destroy();
			return true;
		case 'reset-after':
			if (route === 'create') return false;
			res.writeHead(200, {
				'content-type': route === 'download' ? 'video/mp4' : 'application/json',
				'content-length': 1_000_000,
			});
			res.write(route === 'download' ? Buffer.alloc(1024) : '{"id":"');
			setTimeout(() => req.socket.destroy(), 5);
			return true;
		case 'hang':
			held.add(req.socket);
			req.socket.on('close', () => held.delete(req.socket));
			return true;
		case 'garbled-after':
			if (route === 'create') return false;
			sendMalformed(res);
			return true;
		case 'id-only-after':
			// On create, the create handler's business (the task recorded, its answer cut down).
			if (route === 'create') return false;
			sendJson(res, 200, {});
			return true;
		case 'timestamps':
			// Not a failure: the create and get handlers answer as usual, with odd times (restamped).
			return false;
		case 'late-record':
			// On create, the create handler's business (504 now, the task recorded later).
			if (route === 'create') return false;
			sendJson(res, 504, profile.error(profile.codeForStatus(504), 'gateway timeout'));
			return true;
		case 'delay':
			// A slow API: routes.js waits `ms` first, then the request is answered as usual.
			return false;
		case 'taken-before':
			// On create, the create handler's business (another client's create under the same ID first).
			return false;
		case 'malformed-json':
			sendMalformed(res);
			return true;
		case 'html':
			res
				.writeHead(fault.status ?? 502, { 'content-type': 'text/html' })
				.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
			return true;
		case 'big-error':
			sendBigError(res, fault.bytes, fault.status ?? 500);
			return true;
	}
}

module.exports = { applyFault, idOnly, restamped, sendMalformed };
