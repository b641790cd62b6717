// @ts-check
// A simulator of the Kirin API (DESIGN §2) on plain node:http: Bearer auth, the gateway
// envelope, the seed's error codes, a task lifecycle on a configurable clock, callbacks,
// streamed video downloads, fault injection and request counters. Tests and the demo use it.
const { EventEmitter } = require('node:events');
const { createHash, randomBytes } = require('node:crypto');
const http = require('node:http');

const { imageSize, makePng } = require('./images');
const { videoBytes, videoStream } = require('./video');

const MODEL = 'kirin_v2_1_master_i2v';

/** @typedef {'create' | 'get' | 'download'} Route */
/**
 * @typedef {{ kind: 'status', status: number, body?: string | object, headers?: Record<string, string> }
 *   | { kind: 'rate-limit', retryAfterSeconds: number }
 *   | { kind: 'api-error', code: number, status?: number }
 *   | { kind: 'reset-before' } | { kind: 'reset-after' } | { kind: 'hang' }
 *   | { kind: 'malformed-json' } | { kind: 'html', status?: number }
 *   | { kind: 'big-error', bytes: number, status?: number }} Fault
 */
/**
 * @typedef {{ queued: string, processing: string, completed: string, failed: string }} Vocabulary
 * @typedef {{ apiKey?: string, queuedMs?: number, generationMs?: number, videoBytes?: number,
 *   vocabulary?: Vocabulary, videoHost?: string, cost?: string, keepImages?: boolean }} SimulatorOptions
 * @typedef {{ id: string, status: string, model: string, created_at: number, progress: number,
 *   external_task_id?: string, metadata: { external_task_id?: string }, output?: unknown[],
 *   usage?: { cost: string, discount: number, duration: number }, error?: { code: number, error_message: string },
 *   completed_at?: number }} Task
 * @typedef {{ task: Task, params: Record<string, any>, timers: NodeJS.Timeout[], final: boolean }} TaskRecord
 * @typedef {{ route: Route | 'other', method: string, path: string, authorized: boolean, at: number }} LogEntry
 * @typedef {{ taskId: string, status: string, url: string, httpStatus?: number, error?: string }} Delivery
 */

const DEFAULT_VOCABULARY = {
	queued: 'pending',
	processing: 'in_progress',
	completed: 'succeed',
	failed: 'failed',
};

function newCounters() {
	return {
		requests: { create: 0, get: 0, download: 0, other: 0 },
		unauthorized: 0,
		tasksCreated: 0,
		/** @type {Record<string, number>} */
		tasksPerExternalId: {},
		peakConcurrentTasks: 0,
		activeTasks: 0,
		downloadsWithAuthorization: 0,
	};
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** @param {http.IncomingMessage} req */
async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

class KirinSimulator extends EventEmitter {
	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		super();
		this.apiKey = options.apiKey ?? 'sk-simulator';
		this.queuedMs = options.queuedMs ?? 1000;
		this.generationMs = options.generationMs ?? 8000;
		this.videoSize = options.videoBytes ?? 256 * 1024;
		this.vocabulary = options.vocabulary ?? DEFAULT_VOCABULARY;
		/** @type {string | undefined} */
		this.videoHost = options.videoHost;
		this.cost = options.cost ?? '0.35';
		// Off, a task keeps only a digest of its image ("sha256:<hex>" of the string sent): a
		// benchmark of hundreds of 5 MB photos must not hold them all in the test's memory.
		this.keepImages = options.keepImages ?? true;
		this.baseUrl = '';
		this.counters = newCounters();
		/** @type {LogEntry[]} */
		this.requestLog = [];
		/** @type {Delivery[]} */
		this.callbacks = [];
		/** @type {Map<string, TaskRecord>} */
		this.records = new Map();
		/** @type {Record<Route, Fault[]>} */
		this.faults = { create: [], get: [], download: [] };
		/** @type {Set<import('node:net').Socket>} */
		this.held = new Set();
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((error) => {
				if (!res.headersSent) sendJson(res, 500, { code: 500, message: String(error) });
			});
		});
	}

	/**
	 * @param {{ port?: number, host?: string }} [where]
	 * @returns {Promise<string>} the base URL
	 */
	async start(where = {}) {
		const host = where.host ?? '127.0.0.1';
		await new Promise((resolve) => this.server.listen(where.port ?? 0, host, () => resolve(undefined)));
		const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		this.port = address.port;
		this.baseUrl = `http://${host}:${address.port}`;
		return this.baseUrl;
	}

	async stop() {
		for (const record of this.records.values()) record.timers.forEach(clearTimeout);
		for (const socket of this.held) socket.destroy();
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(() => resolve(undefined)));
	}

	/** @param {number} ms */
	setGenerationMs(ms) {
		this.generationMs = ms;
	}

	/** Serve video URLs from another host name (a "CDN" on another origin), or undefined for the API's. @param {string | undefined} host */
	setVideoHost(host) {
		this.videoHost = host;
	}

	/**
	 * @param {Route} route
	 * @param {Fault} fault
	 * @param {number} [times]
	 */
	injectFault(route, fault, times = 1) {
		for (let i = 0; i < times; i++) this.faults[route].push(fault);
	}

	clearFaults() {
		this.faults = { create: [], get: [], download: [] };
	}

	resetCounters() {
		const active = this.counters.activeTasks;
		this.counters = newCounters();
		this.counters.activeTasks = active;
		this.requestLog = [];
		this.callbacks = [];
	}

	/** The task as the API serves it. @param {string} id @returns {Task | undefined} */
	getTask(id) {
		const record = this.records.get(id);
		return record ? structuredClone(record.task) : undefined;
	}

	/** The params the task was created with. @param {string} id */
	getParams(id) {
		return this.records.get(id)?.params;
	}

	/** @returns {Task[]} */
	tasks() {
		return [...this.records.values()].map((record) => structuredClone(record.task));
	}

	/** The bytes served for a task's video. @param {string} id */
	expectedVideo(id) {
		return videoBytes(id, this.videoSize);
	}

	/**
	 * Forces a task into a state now, with callbacks, as if time had passed.
	 * @param {string} id
	 * @param {'processing' | 'completed' | 'failed'} state
	 */
	setTaskStatus(id, state) {
		const record = this.records.get(id);
		if (!record) throw new Error(`no task ${id}`);
		record.timers.forEach(clearTimeout);
		if (state === 'processing') this.advance(record, 'processing');
		else this.finish(record, state === 'failed' ? 8002009098 : null);
	}

	completeAll() {
		for (const record of this.records.values())
			if (!record.final) this.setTaskStatus(record.task.id, 'completed');
	}

	/**
	 * Resolves with the first task (now or later) that matches.
	 * @param {(task: Task) => boolean} predicate
	 * @param {number} [timeoutMs]
	 * @returns {Promise<Task>}
	 */
	waitFor(predicate, timeoutMs = 30_000) {
		const found = this.tasks().find(predicate);
		if (found) return Promise.resolve(found);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.off('task', listener);
				reject(new Error('simulator: no task matched in time'));
			}, timeoutMs);
			/** @param {Task} task */
			const listener = (task) => {
				if (!predicate(task)) return;
				clearTimeout(timer);
				this.off('task', listener);
				resolve(task);
			};
			this.on('task', listener);
		});
	}

	/**
	 * Resolves once at least `count` callbacks have been delivered (or failed to be).
	 * @param {number} count
	 * @param {number} [timeoutMs]
	 */
	async waitForCallbacks(count, timeoutMs = 30_000) {
		const until = Date.now() + timeoutMs;
		while (this.callbacks.length < count) {
			if (Date.now() > until) throw new Error('simulator: callbacks did not arrive in time');
			await new Promise((resolve) => {
				const timer = setTimeout(resolve, Math.max(1, until - Date.now()));
				this.once('callback', () => {
					clearTimeout(timer);
					resolve(undefined);
				});
			});
		}
		return this.callbacks.slice(0, count);
	}

	// ---- request handling ----

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const method = req.method ?? 'GET';
		// Not part of the API: sample product photos for the demo and the example workflows.
		const sample = /^\/samples\/[\w-]*?(\d{2,4})x(\d{2,4})\.png$/.exec(url.pathname);
		if (method === 'GET' && sample) {
			const png = makePng(Number(sample[1]), Number(sample[2]));
			res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
			return;
		}
		/** @type {Route | 'other'} */
		let route = 'other';
		if (method === 'POST' && url.pathname === '/model/v1/generation') route = 'create';
		else if (method === 'GET' && url.pathname.startsWith('/model/v1/generation/task/')) route = 'get';
		else if (method === 'GET' && url.pathname.startsWith('/files/')) route = 'download';

		const authorized = req.headers.authorization === `Bearer ${this.apiKey}`;
		this.counters.requests[route]++;
		/** @type {LogEntry} */
		const entry = { route, method, path: url.pathname, authorized, at: Date.now() };
		this.requestLog.push(entry);
		this.emit('request', entry);

		if (route === 'other') return sendJson(res, 404, { code: 404, message: 'no such route' });
		const fault = this.faults[route].shift();
		if (fault && (await this.applyFault(fault, req, res, route))) return;

		if (route === 'download') return this.download(url, req, res);
		if (!authorized) {
			this.counters.unauthorized++;
			return sendJson(res, 401, { code: 8002009006, message: 'JWT authentication failed' });
		}
		if (route === 'get')
			return this.get(decodeURIComponent(url.pathname.slice('/model/v1/generation/task/'.length)), res);
		const body = await readBody(req);
		// reset-after: the task is recorded, but the connection dies before the answer.
		const answer = fault?.kind === 'reset-after' ? () => req.socket.destroy() : undefined;
		this.create(body, res, answer);
	}

	/**
	 * Applies a fault; true when the request is fully handled by it.
	 * @param {Fault} fault @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {Route} route
	 */
	async applyFault(fault, req, res, route) {
		switch (fault.kind) {
			case 'status':
				if (typeof fault.body === 'string') {
					res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers }).end(fault.body);
				} else {
					sendJson(
						res,
						fault.status,
						fault.body ?? { code: fault.status, message: 'simulated failure' },
						fault.headers,
					);
				}
				return true;
			case 'rate-limit':
				sendJson(
					res,
					429,
					{ code: 429, message: 'too many requests' },
					{ 'retry-after': String(fault.retryAfterSeconds) },
				);
				return true;
			case 'api-error':
				sendJson(res, fault.status ?? 503, { code: fault.code, message: 'provider unavailable' });
				return true;
			case 'reset-before':
				req.socket.destroy();
				return true;
			case 'reset-after':
				if (route === 'create') return false; // handled after the task is recorded
				res.writeHead(200, {
					'content-type': route === 'download' ? 'video/mp4' : 'application/json',
					'content-length': 1_000_000,
				});
				res.write(route === 'download' ? Buffer.alloc(1024) : '{"id":"');
				setTimeout(() => req.socket.destroy(), 5);
				return true;
			case 'hang':
				this.held.add(req.socket);
				req.socket.on('close', () => this.held.delete(req.socket));
				return true;
			case 'malformed-json':
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "tas');
				return true;
			case 'html':
				res
					.writeHead(fault.status ?? 502, { 'content-type': 'text/html' })
					.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
				return true;
			case 'big-error': {
				res.writeHead(fault.status ?? 500, {
					'content-type': 'application/json',
					'content-length': fault.bytes,
				});
				const piece = Buffer.alloc(64 * 1024, 0x61);
				let left = fault.bytes;
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
				return true;
			}
		}
	}

	/**
	 * @param {string} body @param {http.ServerResponse} res
	 * @param {() => void} [instead] replaces the success answer (fault injection)
	 * @returns {boolean} whether a task was recorded
	 */
	create(body, res, instead) {
		/** @type {any} */
		let envelope;
		try {
			envelope = JSON.parse(body);
		} catch {
			sendJson(res, 400, { code: 400, message: 'body is not JSON' });
			return false;
		}
		if (
			envelope?.model !== MODEL ||
			!Array.isArray(envelope.input) ||
			envelope.input.length !== 1 ||
			typeof envelope.input[0]?.params !== 'object'
		) {
			sendJson(res, 400, { code: 400, message: `expected {"model":"${MODEL}","input":[{"params":{...}}]}` });
			return false;
		}
		const params = envelope.input[0].params;
		const problem = this.validate(params);
		if (problem) {
			sendJson(res, 400, { code: problem[0], message: problem[1] });
			return false;
		}
		const id = `task_${randomBytes(8).toString('hex')}`;
		const externalId = typeof params.external_task_id === 'string' ? params.external_task_id : undefined;
		/** @type {TaskRecord} */
		const record = {
			task: {
				id,
				status: this.vocabulary.queued,
				model: MODEL,
				created_at: Math.floor(Date.now() / 1000),
				progress: 0,
				metadata: { external_task_id: externalId },
				external_task_id: externalId,
			},
			params: {
				...params,
				duration: params.duration ?? '5',
				...(this.keepImages
					? {}
					: { image: `sha256:${createHash('sha256').update(params.image).digest('hex')}` }),
			},
			timers: [],
			final: false,
		};
		this.records.set(id, record);
		this.counters.tasksCreated++;
		if (externalId)
			this.counters.tasksPerExternalId[externalId] = (this.counters.tasksPerExternalId[externalId] ?? 0) + 1;
		this.counters.activeTasks++;
		this.counters.peakConcurrentTasks = Math.max(
			this.counters.peakConcurrentTasks,
			this.counters.activeTasks,
		);
		if (instead) instead();
		else sendJson(res, 200, record.task);
		this.changed(record);
		record.timers.push(setTimeout(() => this.advance(record, 'processing'), this.queuedMs));
		const prompt = String(params.prompt);
		const failure = prompt.includes('#fail')
			? 8002009098
			: prompt.includes('#unavailable')
				? 8002009099
				: null;
		record.timers.push(setTimeout(() => this.finish(record, failure), this.queuedMs + this.generationMs));
		return true;
	}

	/** @param {Record<string, any>} params @returns {[number, string] | null} */
	validate(params) {
		const image = params.image;
		if (typeof image !== 'string' || image.trim() === '') return [8002009001, 'image missing'];
		if (!/^https?:\/\//i.test(image)) {
			if (image.startsWith('data:') || !/^[A-Za-z0-9+/]+={0,2}$/.test(image))
				return [8002009002, 'image format invalid'];
			const size = imageSize(Buffer.from(image, 'base64'));
			if (!size) return [8002009002, 'image format invalid'];
			if (size.width < 300 || size.height < 300) return [8002009002, 'image format invalid'];
			if (2 * size.width > 5 * size.height || 5 * size.width < 2 * size.height)
				return [8002009005, 'aspect ratio invalid'];
		}
		if (typeof params.prompt !== 'string' || params.prompt.length === 0 || [...params.prompt].length > 2500) {
			return [8002009003, 'prompt length invalid'];
		}
		if (params.duration !== undefined && params.duration !== '5' && params.duration !== '10')
			return [8002009004, 'duration invalid'];
		if (params.callback_url !== undefined && !/^https?:\/\//i.test(String(params.callback_url)))
			return [400, 'callback_url invalid'];
		return null;
	}

	/** @param {string} ref @param {http.ServerResponse} res */
	get(ref, res) {
		let record = this.records.get(ref);
		if (!record) {
			const byExternal = [...this.records.values()].filter(
				(candidate) => candidate.task.external_task_id === ref,
			);
			record = byExternal[byExternal.length - 1];
		}
		if (!record) return sendJson(res, 404, { code: 404, message: 'task not found' });
		sendJson(res, 200, record.task);
	}

	/** @param {URL} url @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	download(url, req, res) {
		if (req.headers.authorization) this.counters.downloadsWithAuthorization++;
		const id = url.pathname.slice('/files/'.length).replace(/\.mp4$/, '');
		const record = this.records.get(id);
		if (!record || record.task.status !== this.vocabulary.completed)
			return sendJson(res, 404, { code: 404, message: 'no such file' });
		res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': this.videoSize });
		videoStream(id, this.videoSize).pipe(res);
	}

	// ---- lifecycle ----

	/** @param {TaskRecord} record @param {'processing'} state */
	advance(record, state) {
		if (record.final) return;
		record.task.status = this.vocabulary[state];
		record.task.progress = 10;
		this.changed(record);
	}

	/** @param {TaskRecord} record @param {number | null} failureCode */
	finish(record, failureCode) {
		if (record.final) return;
		record.final = true;
		record.timers.forEach(clearTimeout);
		this.counters.activeTasks--;
		const { task } = record;
		task.completed_at = Math.floor(Date.now() / 1000);
		if (failureCode) {
			task.status = this.vocabulary.failed;
			task.error = {
				code: failureCode,
				error_message: failureCode === 8002009099 ? 'provider unavailable' : 'generation process failed',
			};
		} else {
			const origin = this.videoHost ? `http://${this.videoHost}:${this.port}` : this.baseUrl;
			const duration = record.params.duration ?? '5';
			task.status = this.vocabulary.completed;
			task.progress = 100;
			task.output = [
				{
					content: [
						{ type: 'video', url: `${origin}/files/${task.id}.mp4`, duration, jobId: `job_${task.id}` },
					],
				},
			];
			task.usage = { cost: this.cost, discount: 0, duration: Number(duration) };
		}
		this.changed(record);
	}

	/** Emits the change and posts the callback, if the task has one. @param {TaskRecord} record */
	changed(record) {
		const snapshot = structuredClone(record.task);
		this.emit('task', snapshot);
		const url = record.params.callback_url;
		if (typeof url !== 'string') return;
		/** @type {Delivery} */
		const delivery = { taskId: snapshot.id, status: snapshot.status, url };
		fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(snapshot),
			signal: AbortSignal.timeout(10_000),
		})
			.then(async (response) => {
				delivery.httpStatus = response.status;
				await response.arrayBuffer();
			})
			.catch((error) => {
				delivery.error = String(error?.cause?.code ?? error);
			})
			.finally(() => {
				this.callbacks.push(delivery);
				this.emit('callback', delivery);
			});
	}
}

module.exports = { KirinSimulator, MODEL, DEFAULT_VOCABULARY };
