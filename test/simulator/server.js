// @ts-check
// A simulator of the Kirin API (docs/API.md) on plain node:http, for the tests and the demo. This
// module is the simulator as tests hold it: its state, its options and the controls tests use.
// The rest lives beside it, one concern a file: routes.js (what each route answers, price quotes
// included: the pre-charge route prices a create from the price table below), profiles.js
// (how answers are worded: the seed's reading of the API, or Kling's stricter one), taskClock.js
// (a task's lifecycle), callbacks.js (POSTs to callback URLs), faults.js (injected failures),
// video.js and mp4Videos.js (the videos it serves: deterministic bytes by default, playable
// clips made from each task's image with `video: 'mp4'`, the demo's mode), images.js and
// samplePhoto.js (reading and making images).
const { createHash } = require('node:crypto');
const { EventEmitter } = require('node:events');
const http = require('node:http');

const { postCallback } = require('./callbacks');
const { sendJson } = require('./http');
const { profileNamed } = require('./profiles');
const routes = require('./routes');
const clock = require('./taskClock');
const { Mp4Videos } = require('./mp4Videos');
const { NoiseVideos } = require('./video');

/**
 * @typedef {import('./taskClock').Vocabulary} Vocabulary
 * @typedef {import('./taskClock').Task} Task
 * @typedef {import('./taskClock').TaskRecord} TaskRecord
 * @typedef {import('./faults').Route} Route
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./routes').LogEntry} LogEntry
 * @typedef {import('./callbacks').Delivery} Delivery
 * @typedef {import('./profiles').ProfileName} ProfileName
 * @typedef {import('./profiles').QuoteMode} QuoteMode
 * @typedef {{ body: Record<string, any>, cost: string | null, reason: string | null }} QuoteEntry
 * @typedef {{ apiKey?: string, queuedMs?: number, generationMs?: number, videoBytes?: number,
 *   vocabulary?: Vocabulary, videoHost?: string, redirectVideosTo?: string,
 *   cost?: string, prices?: Record<string, string>, quoteDiscount?: number,
 *   profile?: ProfileName, keepImages?: boolean, video?: 'bytes' | 'mp4', ffmpeg?: string,
 *   maxConcurrentGenerations?: number, generationJitter?: number,
 *   videoShortSide?: number, duplicateExternalIds?: DuplicateIds }} SimulatorOptions
 * @typedef {'accept' | 'refuse'} DuplicateIds what a create under an external task ID that a task
 *   already has gets: a new task, silently (what the seed leaves open, and Kling's reading), or a
 *   409 (an API that keeps the ID unique, as the seed says it must be)
 */

/** The words the seed profile uses for each state (the provider's documents vary). */
const DEFAULT_VOCABULARY = profileNamed('seed').vocabulary;

function newCounters() {
	return {
		requests: { create: 0, get: 0, download: 0, precharge: 0, other: 0 },
		/** Pre-charge answers, apart from tasks: a price, a cache miss, no such route (404). */
		quotes: { priced: 0, missed: 0, noRoute: 0 },
		unauthorized: 0,
		tasksCreated: 0,
		/** @type {Record<string, number>} */
		tasksPerExternalId: {},
		peakConcurrentTasks: 0,
		activeTasks: 0,
		downloadsWithAuthorization: 0,
		/** Creates refused with 409 because their external task ID was taken. */
		refusedAsTaken: 0,
	};
}

class KirinSimulator extends EventEmitter {
	/** @param {SimulatorOptions} [options] */
	constructor(options = {}) {
		super();
		/** How answers are worded (profiles.js); the default is the seed's reading of the API. */
		this.profile = profileNamed(options.profile);
		this.apiKey = options.apiKey ?? 'sk-simulator';
		this.queuedMs = options.queuedMs ?? 1000;
		this.generationMs = options.generationMs ?? 8000;
		this.videoSize = options.videoBytes ?? 256 * 1024;
		this.vocabulary = options.vocabulary ?? this.profile.vocabulary;
		/** @type {string | undefined} */
		this.videoHost = options.videoHost;
		/** @type {string | undefined} */
		this.redirectVideosTo = options.redirectVideosTo;
		// Video links signed before this epoch are dead while links expire (videoLinks.js).
		this.linkEpoch = 0;
		/** @type {import('./videoLinks').LinkExpiry | undefined} */
		this.linkExpiry = undefined;
		// The price table, by duration (USD, as strings like the API's): what a quote says and what a
		// finished task's usage.cost is. `cost` is the 5-second price; 10 seconds cost twice that.
		const cost = options.cost ?? '0.35';
		/** @type {Record<string, string>} */
		this.initialPrices = options.prices ?? { 5: cost, 10: String(Number(cost) * 2) };
		this.prices = { ...this.initialPrices };
		this.quoteDiscount = options.quoteDiscount ?? 1;
		/** How the pre-charge route answers; the profile's way unless a test says otherwise. @type {QuoteMode} */
		this.quoteMode = this.profile.quotes;
		/** A create under a taken external task ID: a new task, or a 409 (setDuplicateExternalIds). */
		/** @type {DuplicateIds} */
		this.initialDuplicates = options.duplicateExternalIds ?? 'accept';
		/** @type {DuplicateIds} */
		this.duplicateExternalIds = this.initialDuplicates;
		/** Every quote given (or refused), in order. @type {QuoteEntry[]} */
		this.quotes = [];
		// Off, a task keeps only a digest of its image ("sha256:<hex>" of the string sent): a
		// benchmark of hundreds of 5 MB photos must not hold them all in the test's memory.
		this.keepImages = options.keepImages ?? true;
		/** Prompts tagged "#flaky" that already failed once (taskClock.js). @type {Set<string>} */
		this.flakyFailed = new Set();
		// A provider runs only so many generations at once; the rest wait, queued (taskClock.js).
		/** @type {import('./taskClock').Slots} */
		this.slots = { limit: options.maxConcurrentGenerations ?? Infinity, busy: 0, waiting: [] };
		/** Each task's generation time varies by up to this fraction either way. */
		this.generationJitter = options.generationJitter ?? 0;
		this.baseUrl = '';
		this.counters = newCounters();
		this.videos =
			options.video === 'mp4'
				? new Mp4Videos({
						ffmpeg: options.ffmpeg,
						shortSide: options.videoShortSide,
						onMade: (made) => this.emit('video', made),
					})
				: new NoiseVideos(() => this.videoSize);
		/** @type {LogEntry[]} */
		this.requestLog = [];
		/** @type {Delivery[]} */
		this.callbacks = [];
		/** @type {Map<string, TaskRecord>} */
		this.records = new Map();
		/** @type {Record<Route, Fault[]>} */
		this.faults = { create: [], get: [], download: [], precharge: [] };
		/** @type {Set<import('node:net').Socket>} */
		this.held = new Set();
		/** Every ask for the model's spec (modelParameters.js), and whether it came with a key. @type {{ modelId: string, withAuthorization: boolean }[]} */
		this.specRequests = [];
		/** While true, the spec route answers 503 (setSpecFailing). */
		this.specFails = false;
		/** Creates a slow gateway records only after the next look-up has been answered (`late-record`). */
		/** @type {(() => void)[]} */
		this.lateCreates = [];
		this.server = http.createServer((req, res) => {
			routes.handle(this, req, res).catch((error) => {
				if (!res.headersSent)
					sendJson(res, 500, this.profile.error(this.profile.codeForStatus(500), String(error)));
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
		await this.videos.stop();
	}

	// ---- controls for tests ----

	/** @param {number} ms */
	setGenerationMs(ms) {
		this.generationMs = ms;
	}

	/** How long a new task stays queued before it is processed. @param {number} ms */
	setQueuedMs(ms) {
		this.queuedMs = ms;
	}

	/** Serve video URLs from another host name (a "CDN" on another origin), or undefined for the API's. @param {string | undefined} host */
	setVideoHost(host) {
		this.videoHost = host;
	}

	/**
	 * Answer video downloads with a 302 to another host name (a CDN or a signed storage link on
	 * another origin), or undefined to serve them directly.
	 * @param {string | undefined} host
	 */
	setRedirectVideosTo(host) {
		this.redirectVideosTo = host;
	}

	/**
	 * Every video link handed out so far stops working: storage (the video's host, or the one a
	 * redirect leads to) answers `status` for it, as for an expired signed link (403) or a removed
	 * object (404, 410). With `fresh`, a task's next GET hands it a new link that works; without,
	 * the same dead one. Undone by clearFaults.
	 * @param {import('./videoLinks').LinkExpiry} expiry
	 */
	expireVideoLinks(expiry) {
		this.linkEpoch++;
		this.linkExpiry = expiry;
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
		this.faults = { create: [], get: [], download: [], precharge: [] };
		this.lateCreates = [];
		this.linkExpiry = undefined;
	}

	/**
	 * How the pre-charge route answers from now on: 'price' (the price table), 'miss' (no price:
	 * COST_CACHE_MISS), 'missing' (404, no such route); none: the profile's way. A prompt tagged
	 * "#nocache" is always a miss.
	 * @param {QuoteMode} [mode]
	 */
	setQuoteMode(mode) {
		this.quoteMode = mode ?? this.profile.quotes;
	}

	/**
	 * What a create under a taken external task ID gets from now on: 'accept' (a new task) or
	 * 'refuse' (409); none: as the simulator started.
	 * @param {DuplicateIds} [mode]
	 */
	setDuplicateExternalIds(mode) {
		this.duplicateExternalIds = mode ?? this.initialDuplicates;
	}

	/** The spec route answers 503 while `failing` (the models host down), else the spec. @param {boolean} failing */
	setSpecFailing(failing) {
		this.specFails = failing;
	}

	/** @param {Record<string, string>} prices USD by duration ("5", "10") */
	setPrices(prices) {
		this.prices = { ...prices };
	}

	/** The price table and quote mode the simulator started with. */
	resetQuotes() {
		this.setQuoteMode();
		this.setPrices(this.initialPrices);
	}

	/** The price of a video of this duration, as the API writes it. @param {unknown} duration */
	priceOf(duration) {
		return this.prices[String(duration ?? '5')] ?? this.prices['5'];
	}

	/** The body a task was created with (its image as a digest when images are not kept). @param {string} id */
	createBody(id) {
		return this.records.get(id)?.body;
	}

	/**
	 * A request body as the simulator keeps it: a copy, with the image replaced by its digest when
	 * images are not kept (see keepImages).
	 * @param {Record<string, any>} envelope
	 */
	stored(envelope) {
		const copy = structuredClone(envelope);
		const params = copy.input?.[0]?.params;
		for (const name of ['image', 'image_tail'])
			if (!this.keepImages && params && typeof params[name] === 'string')
				params[name] = `sha256:${createHash('sha256').update(params[name]).digest('hex')}`;
		return copy;
	}

	resetCounters() {
		const active = this.counters.activeTasks;
		this.counters = newCounters();
		this.counters.activeTasks = active;
		this.requestLog = [];
		this.callbacks = [];
		this.quotes = [];
		this.specRequests = [];
	}

	/** The stored task (in the seed's shape, with the profile's status words). @param {string} id @returns {Task | undefined} */
	getTask(id) {
		const record = this.records.get(id);
		return record ? structuredClone(record.task) : undefined;
	}

	/** The body the simulator would POST to the task's callback URL now, in its profile's shape. @param {string} id */
	callbackBody(id) {
		const record = this.records.get(id);
		if (!record) throw new Error(`no task ${id}`);
		return this.profile.callback(record);
	}

	/** The params the task was created with. @param {string} id */
	getParams(id) {
		return this.records.get(id)?.params;
	}

	/** @returns {Task[]} */
	tasks() {
		return [...this.records.values()].map((record) => structuredClone(record.task));
	}

	/**
	 * The bytes served for a task's video. In mp4 mode only once the clip is made (after its
	 * first download has begun: the clip is made before any byte is served).
	 * @param {string} id
	 */
	expectedVideo(id) {
		return this.videos.expected(id);
	}

	/**
	 * Forces a task into a state now, with callbacks, as if time had passed.
	 * @param {string} id
	 * @param {'processing' | 'completed' | 'failed'} state
	 */
	setTaskStatus(id, state) {
		const record = this.records.get(id);
		if (!record) throw new Error(`no task ${id}`);
		clock.moveTo(this.clock(), record, state);
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

	// ---- the task store, for routes.js and taskClock.js ----

	/**
	 * Records a new task created with `params`, and counts it.
	 * @param {string} id @param {Record<string, any>} params @returns {TaskRecord}
	 */
	record(id, params) {
		const externalId = typeof params.external_task_id === 'string' ? params.external_task_id : undefined;
		const now = Date.now();
		/** @type {TaskRecord} */
		const record = {
			task: {
				id,
				status: this.vocabulary.queued,
				model: routes.MODEL,
				created_at: Math.floor(now / 1000),
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
				...(this.keepImages || typeof params.image_tail !== 'string'
					? {}
					: { image_tail: `sha256:${createHash('sha256').update(params.image_tail).digest('hex')}` }),
			},
			timers: [],
			final: false,
			createdMs: now,
			updatedMs: now,
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
		return record;
	}

	/** Announces a new task and starts its clock. @param {TaskRecord} record */
	startTask(record) {
		this.changed(record);
		clock.start(this.clock(), record);
	}

	/** The clock's view of this simulator (read each time: tests change the timing between tasks). */
	clock() {
		return {
			vocabulary: this.vocabulary,
			queuedMs: this.queuedMs,
			generationMs: this.generationMs,
			/** @param {string} duration */
			priceOf: (duration) => this.priceOf(duration),
			videoOrigin: () => (this.videoHost ? `http://${this.videoHost}:${this.port}` : this.baseUrl),
			linkSig: () => this.linkEpoch,
			/** @param {TaskRecord} record */
			changed: (record) => this.changed(record),
			ended: () => {
				this.counters.activeTasks--;
			},
			flakyFailed: this.flakyFailed,
			jitter: this.generationJitter,
			slots: this.slots,
		};
	}

	/**
	 * Emits the change and posts the callback, if the task has one. A completed task's video is
	 * started now, in the background, so its first download finds it ready or nearly.
	 * @param {TaskRecord} record
	 */
	changed(record) {
		record.updatedMs = Math.max(Date.now(), record.updatedMs);
		if (record.task.status === this.vocabulary.completed)
			void this.videos.prepare(record.task.id, record.params);
		const snapshot = structuredClone(record.task);
		this.emit('task', snapshot);
		const url = record.params.callback_url;
		if (typeof url !== 'string') return;
		postCallback(url, this.profile.callback(record), snapshot, (delivery) => {
			this.callbacks.push(delivery);
			this.emit('callback', delivery);
		});
	}
}

const { MODEL } = routes;

module.exports = { KirinSimulator, MODEL, DEFAULT_VOCABULARY };
