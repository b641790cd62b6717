// @ts-check
// The API's routes as the simulator answers them (docs/API.md, "Routes"): create, get a task (by ID, or by
// external task ID where the profile allows it), download a video, price a create (the gateway's
// pre-charge route, as its quote mode says: a price, a cache miss, or 404); Bearer auth, the seed's
// validation codes, a taken external task ID accepted or refused (409) as the simulator is set,
// request counters and the log, injected faults. Bodies are worded by the
// simulator's profile (profiles.js). Also the demo's sample photos.
const { createHash, randomBytes } = require('node:crypto');
const http = require('node:http');

const { applyFault, idOnly, restamped, sendMalformed } = require('./faults');
const { refreshProgress } = require('./taskClock');
const { readBody, sendJson } = require('./http');
const { imageSize } = require('./images');
const { samplePhoto } = require('./samplePhoto');
const { linkSigOf, refuseDeadLink, resign } = require('./videoLinks');
const { SPEC_ROUTE, checkAgainstSpec, specAnswer } = require('./modelParameters');

const MODEL = 'kirin_v2_1_master_i2v';
const TASK_PREFIX = '/model/v1/generation/task/';
const PRECHARGE = '/model/v1/generation/precharge';

/** @typedef {import('./server').KirinSimulator} KirinSimulator */
/** @typedef {import('./faults').Route} Route */
/**
 * @typedef {{ route: Route | 'other', method: string, path: string, host: string, authorized: boolean,
 *   withAuthorization: boolean, at: number }} LogEntry
 */

/**
 * @param {KirinSimulator} sim @param {http.IncomingMessage} req @param {http.ServerResponse} res
 */
async function handle(sim, req, res) {
	const url = new URL(req.url ?? '/', 'http://simulator');
	const method = req.method ?? 'GET';
	// Not part of the API: sample product photos for the demo and the example workflows.
	const sample = /^\/samples\/[\w-]*?(\d{2,4})x(\d{2,4})\.png$/.exec(url.pathname);
	if (method === 'GET' && sample) {
		const png = samplePhoto(Number(sample[1]), Number(sample[2]));
		res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
		return;
	}
	// The gateway's models host (here the same server): the model's spec, public, no key needed.
	const spec = SPEC_ROUTE.exec(url.pathname);
	if (method === 'GET' && spec) return modelSpec(sim, req, res, decodeURIComponent(spec[1]));
	/** @type {Route | 'other'} */
	let route = 'other';
	if (method === 'POST' && url.pathname === '/model/v1/generation') route = 'create';
	else if (method === 'POST' && url.pathname === PRECHARGE) route = 'precharge';
	else if (method === 'GET' && url.pathname.startsWith(TASK_PREFIX)) route = 'get';
	else if (method === 'GET' && /^\/(files|cdn)\//.test(url.pathname)) route = 'download';

	const authorized = req.headers.authorization === `Bearer ${sim.apiKey}`;
	sim.counters.requests[route]++;
	/** @type {LogEntry} */
	const entry = {
		route,
		method,
		path: url.pathname,
		host: req.headers.host ?? '',
		authorized,
		withAuthorization: req.headers.authorization !== undefined,
		at: Date.now(),
	};
	sim.requestLog.push(entry);
	sim.emit('request', entry);

	const { profile } = sim;
	const noSuchRoute = () => sendJson(res, 404, profile.error(profile.codes.notFound, 'no such route'));
	if (route === 'other') return noSuchRoute();
	if (route === 'precharge' && sim.quoteMode === 'missing') {
		sim.counters.quotes.noRoute++;
		return noSuchRoute();
	}
	const fault = sim.faults[route].shift();
	if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
	if (fault && applyFault(fault, req, res, route, sim.held, profile)) return;

	if (route === 'download') return download(sim, url, req, res);
	if (!authorized) {
		sim.counters.unauthorized++;
		return sendJson(res, 401, profile.error(profile.codes.unauthorized, 'JWT authentication failed'));
	}
	// The `timestamps` fault: this answer writes the task's times in another unit.
	/** @type {(body: unknown, record: import('./taskClock').TaskRecord) => unknown} */
	const shown = (body, record) => (fault?.kind === 'timestamps' ? restamped(body, fault.unit, record) : body);
	if (route === 'get') {
		get(sim, decodeURIComponent(url.pathname.slice(TASK_PREFIX.length)), res, shown);
		for (const record of sim.lateCreates.splice(0)) record();
		return;
	}
	const body = await readBody(req);
	if (route === 'precharge') return quote(sim, body, res);
	if (fault?.kind === 'taken-before') takenBefore(sim, body);
	if (fault?.kind === 'late-record') return lateCreate(sim, body, res);
	// reset-after / garbled-after / id-only-after: the task is recorded, then the connection dies
	// before the answer, or the answer is a 2xx that cannot be read, or only its task ID can.
	/** @type {((record: import('./taskClock').TaskRecord) => void) | undefined} */
	const answer =
		fault?.kind === 'reset-after'
			? () => req.socket.destroy()
			: fault?.kind === 'garbled-after'
				? () => sendMalformed(res)
				: fault?.kind === 'id-only-after'
					? (record) => sendJson(res, 200, idOnly(sim.profile.created(record)))
					: undefined;
	create(sim, body, res, answer, shown);
}

/**
 * The spec route: the model's spec, to anyone (it takes no key; one sent is logged, so tests can
 * see it never is), or a 503 while a test has the route failing.
 * @param {KirinSimulator} sim @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} modelId
 */
function modelSpec(sim, req, res, modelId) {
	sim.specRequests.push({ modelId, withAuthorization: req.headers.authorization !== undefined });
	if (sim.specFails)
		return sendJson(res, 503, { status: { code: 503, message: 'service unavailable' }, data: null });
	const answer = specAnswer(modelId, MODEL);
	sendJson(res, answer.status, answer.body);
}

/** An image param's problem, as the seed codes it (image or image_tail alike). @param {string} name @param {unknown} image @returns {[number, string] | null} */
function imageProblem(name, image) {
	if (typeof image !== 'string' || image.trim() === '') return [8002009001, `${name} missing`];
	if (/^https?:\/\//i.test(image)) return null;
	if (image.startsWith('data:') || !/^[A-Za-z0-9+/]+={0,2}$/.test(image))
		return [8002009002, `${name} format invalid`];
	const size = imageSize(Buffer.from(image, 'base64'));
	if (!size) return [8002009002, `${name} format invalid`];
	if (size.width < 300 || size.height < 300) return [8002009002, `${name} format invalid`];
	if (2 * size.width > 5 * size.height || 5 * size.width < 2 * size.height)
		return [8002009005, 'aspect ratio invalid'];
	return null;
}

/**
 * The seed's input rules, answered with its error codes (a generic bad request is null: the
 * profile names its code), then the model's spec (modelParameters.js).
 * @param {Record<string, any>} params @returns {[number | null, string] | null}
 */
function validate(params) {
	const image = imageProblem('image', params.image);
	if (image) return image;
	if (params.image_tail !== undefined) {
		const tail = imageProblem('image_tail', params.image_tail);
		if (tail) return tail;
	}
	if (typeof params.prompt !== 'string' || params.prompt.length === 0 || [...params.prompt].length > 2500) {
		return [8002009003, 'prompt length invalid'];
	}
	if (params.duration !== undefined && params.duration !== '5' && params.duration !== '10')
		return [8002009004, 'duration invalid'];
	if (params.callback_url !== undefined && !/^https?:\/\//i.test(String(params.callback_url)))
		return [null, 'callback_url invalid'];
	const broken = checkAgainstSpec(params);
	return broken ? [null, broken] : null;
}

/**
 * A create's body, checked as a create checks it (the pre-charge route takes the same body): the
 * envelope, or null once the 400 has been sent.
 * @param {KirinSimulator} sim @param {string} body @param {http.ServerResponse} res
 * @returns {Record<string, any> | null}
 */
function readCreate(sim, body, res) {
	/** @param {number | null} code @param {string} message */
	const reject = (code, message) => {
		sendJson(res, 400, sim.profile.error(code ?? sim.profile.codes.badRequest, message));
		return null;
	};
	/** @type {any} */
	let envelope;
	try {
		envelope = JSON.parse(body);
	} catch {
		return reject(null, 'body is not JSON');
	}
	if (
		envelope?.model !== MODEL ||
		!Array.isArray(envelope.input) ||
		envelope.input.length !== 1 ||
		typeof envelope.input[0]?.params !== 'object'
	) {
		return reject(null, `expected {"model":"${MODEL}","input":[{"params":{...}}]}`);
	}
	const problem = validate(envelope.input[0].params);
	return problem ? reject(problem[0], problem[1]) : envelope;
}

/**
 * Whether the create is refused because its external task ID is taken (the simulator's
 * `duplicateExternalIds: 'refuse'`): then the 409 has been sent, and nothing is recorded.
 * @param {KirinSimulator} sim @param {Record<string, any>} envelope @param {http.ServerResponse} res
 */
function refusedAsTaken(sim, envelope, res) {
	const id = envelope.input[0].params.external_task_id;
	if (sim.duplicateExternalIds !== 'refuse' || typeof id !== 'string') return false;
	if (![...sim.records.values()].some((record) => record.task.external_task_id === id)) return false;
	sim.counters.refusedAsTaken++;
	sendJson(
		res,
		409,
		sim.profile.error(sim.profile.codeForStatus(409), `external_task_id ${id} already exists`),
	);
	return true;
}

/**
 * Another client (another n8n worker) creates the same request a moment before this one arrives.
 * @param {KirinSimulator} sim @param {string} body
 */
function takenBefore(sim, body) {
	const envelope = JSON.parse(body);
	sim.startTask(recordTask(sim, envelope));
}

/**
 * @param {KirinSimulator} sim @param {string} body @param {http.ServerResponse} res
 * @param {(record: import('./taskClock').TaskRecord) => void} [instead] replaces the success answer (fault injection)
 * @param {(body: unknown, record: import('./taskClock').TaskRecord) => unknown} [shown] how the answer is shown (fault injection)
 */
function create(sim, body, res, instead, shown = (answer) => answer) {
	const envelope = readCreate(sim, body, res);
	if (!envelope || refusedAsTaken(sim, envelope, res)) return;
	const record = recordTask(sim, envelope);
	if (instead) instead(record);
	else sendJson(res, 200, shown(sim.profile.created(record), record));
	sim.startTask(record);
}

/**
 * A slow gateway: it answers 504 at once, and the task appears only after the next look-up has
 * been answered, so a look-up right after the lost answer misses it and a later one finds it.
 * @param {KirinSimulator} sim @param {string} body @param {http.ServerResponse} res
 */
function lateCreate(sim, body, res) {
	const envelope = readCreate(sim, body, res);
	if (!envelope || refusedAsTaken(sim, envelope, res)) return;
	sendJson(res, 504, sim.profile.error(sim.profile.codeForStatus(504), 'gateway timeout'));
	sim.lateCreates.push(() => sim.startTask(recordTask(sim, envelope)));
}

/**
 * A new task for a create's envelope. A repeated external task ID is a new task in every
 * profile unless the simulator refuses taken IDs (refusedAsTaken).
 * @param {KirinSimulator} sim @param {Record<string, any>} envelope
 */
function recordTask(sim, envelope) {
	const record = sim.record(`task_${randomBytes(8).toString('hex')}`, envelope.input[0].params);
	record.body = sim.stored(envelope);
	return record;
}

/**
 * The gateway's pre-charge answer for a create's body (its public SDK's shape): the price of the
 * video's duration, or a cache miss (quote mode 'miss', or a prompt tagged "#nocache"). Counted
 * apart from tasks, and logged with the body it priced.
 * @param {KirinSimulator} sim @param {string} body @param {http.ServerResponse} res
 */
function quote(sim, body, res) {
	const envelope = readCreate(sim, body, res);
	if (!envelope) return;
	const params = envelope.input[0].params;
	const hash = `v1:${createHash('sha256').update(body).digest('hex')}`;
	const head = { model: MODEL, original_model: MODEL, hash };
	if (sim.quoteMode === 'miss' || String(params.prompt).includes('#nocache')) {
		sim.counters.quotes.missed++;
		sim.quotes.push({ body: sim.stored(envelope), cost: null, reason: 'COST_CACHE_MISS' });
		return sendJson(res, 200, { status: 'failed', data: { ...head, cost: null, reason: 'COST_CACHE_MISS' } });
	}
	const cost = sim.priceOf(params.duration);
	sim.counters.quotes.priced++;
	sim.quotes.push({ body: sim.stored(envelope), cost, reason: null });
	sendJson(res, 200, {
		status: 'success',
		data: {
			...head,
			billing_model: MODEL,
			sample_count: 1,
			cost,
			currency: 'USD',
			discount: sim.quoteDiscount,
			updated_at: Date.now(),
		},
	});
}

/**
 * A task by its ID, else (if the profile knows that look-up) the newest with that external task ID.
 * @param {KirinSimulator} sim @param {string} ref @param {http.ServerResponse} res
 * @param {(body: unknown, record: import('./taskClock').TaskRecord) => unknown} [shown] how the answer is shown (fault injection)
 */
function get(sim, ref, res, shown = (answer) => answer) {
	let record = sim.records.get(ref);
	if (!record && sim.profile.findsByExternalId) {
		const byExternal = [...sim.records.values()].filter(
			(candidate) => candidate.task.external_task_id === ref,
		);
		record = byExternal[byExternal.length - 1];
	}
	if (!record) return sendJson(res, 404, sim.profile.error(sim.profile.codes.notFound, 'task not found'));
	refreshProgress(record);
	resign(sim, record);
	sendJson(res, 200, shown(sim.profile.got(record), record));
}

/**
 * A video, at `/files/<id>.mp4`, or, when videos are redirected (a CDN or signed storage link on
 * another origin), a 302 from there to `/cdn/<id>.mp4` on the redirect host. Storage (whichever
 * serves the bytes) refuses a dead link (videoLinks.js).
 * @param {KirinSimulator} sim @param {URL} url @param {http.IncomingMessage} req @param {http.ServerResponse} res
 */
async function download(sim, url, req, res) {
	if (req.headers.authorization) sim.counters.downloadsWithAuthorization++;
	const [, folder, id] = /^\/(files|cdn)\/(.+?)(?:\.mp4)?$/.exec(url.pathname) ?? [];
	const record = sim.records.get(id);
	if (!record || record.task.status !== sim.vocabulary.completed)
		return sendJson(res, 404, sim.profile.error(sim.profile.codes.notFound, 'no such file'));
	if (folder === 'files' && sim.redirectVideosTo) {
		// The link's own signature goes along to storage, which alone judges it.
		const sig = linkSigOf(url);
		const query = `?sig=${sig > 0 ? sig : 'signed'}`;
		res
			.writeHead(302, { location: `http://${sim.redirectVideosTo}:${sim.port}/cdn/${id}.mp4${query}` })
			.end();
		return;
	}
	if (refuseDeadLink(sim, url, res)) return;
	const video = await sim.videos.open(id, record.params);
	res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.size });
	video.stream.pipe(res);
}

module.exports = { handle, MODEL };
