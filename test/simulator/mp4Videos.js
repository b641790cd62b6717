// @ts-check
// Playable videos for the demo: each completed task gets an MP4 rendered from its own image
// (see clip.js), made once, kept in a temporary folder and streamed from there. ffmpeg runs as a
// child process, one clip at a time, so the simulator's event loop stays free and two cores are
// not fought over by a batch. When ffmpeg is missing or the image cannot be used, the task gets
// the sample clip of its duration instead.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { SAMPLE_CLIPS, frameSize, renderClip } = require('./clip');
const { taskImage } = require('./taskImage');

/**
 * @typedef {{ file: string, size: number, source: 'ffmpeg' | 'sample', ms: number, reason?: string }} Made
 * @typedef {{ taskId: string } & Made} MadeEvent
 */

class Mp4Videos {
	/**
	 * @param {{ ffmpeg?: string, shortSide?: number, onMade?: (event: MadeEvent) => void }} [options]
	 */
	constructor(options = {}) {
		this.ffmpeg = options.ffmpeg ?? 'ffmpeg';
		this.shortSide = options.shortSide ?? 1080;
		this.onMade = options.onMade ?? (() => {});
		/** @type {Map<string, Promise<Made>>} */
		this.making = new Map();
		/** @type {Map<string, Made>} */
		this.made = new Map();
		/** @type {Set<import('node:child_process').ChildProcess>} */
		this.children = new Set();
		// One encode at a time (see inTurn).
		/** @type {Promise<unknown>} */
		this.queue = Promise.resolve();
		/** @type {string | undefined} */
		this.folder = undefined;
		this.stopped = false;
	}

	/**
	 * Starts making a task's video (once); resolves when it is there.
	 * @param {string} taskId @param {Record<string, any>} params the task's create parameters
	 */
	prepare(taskId, params) {
		let making = this.making.get(taskId);
		if (!making) {
			making = this.make(taskId, params);
			this.making.set(taskId, making);
		}
		return making;
	}

	/** @param {string} taskId @param {Record<string, any>} params */
	async open(taskId, params) {
		const made = await this.prepare(taskId, params);
		return { size: made.size, stream: fs.createReadStream(made.file) };
	}

	/** The bytes served for a task; only once made (await `prepare` first). @param {string} taskId */
	expected(taskId) {
		const made = this.made.get(taskId);
		if (!made) throw new Error(`the video of ${taskId} is not made yet: download it first`);
		return fs.readFileSync(made.file);
	}

	async stop() {
		this.stopped = true;
		for (const child of this.children) child.kill('SIGKILL');
		await Promise.allSettled(this.making.values());
		if (this.folder) fs.rmSync(this.folder, { recursive: true, force: true });
	}

	/** @param {string} taskId @param {Record<string, any>} params @returns {Promise<Made>} */
	async make(taskId, params) {
		const started = Date.now();
		const seconds = params.duration === '10' ? 10 : 5;
		/** @type {Made} */
		let made;
		try {
			const image = await taskImage(params.image);
			if ('reason' in image) throw new Error(image.reason);
			const file = await this.inTurn(() => this.render(taskId, image, seconds));
			made = { file, size: (await fs.promises.stat(file)).size, source: 'ffmpeg', ms: Date.now() - started };
		} catch (error) {
			const file = SAMPLE_CLIPS[seconds];
			const reason = error instanceof Error ? error.message : String(error);
			made = {
				file,
				size: (await fs.promises.stat(file)).size,
				source: 'sample',
				ms: Date.now() - started,
				reason,
			};
		}
		this.made.set(taskId, made);
		this.onMade({ taskId, ...made });
		return made;
	}

	/**
	 * Runs `job` after every job queued before it, whatever their outcome.
	 * @template T @param {() => Promise<T>} job @returns {Promise<T>}
	 */
	inTurn(job) {
		const turn = this.queue.then(job);
		this.queue = turn.catch(() => {});
		return turn;
	}

	/**
	 * @param {string} taskId @param {{ bytes: Buffer, width: number, height: number }} image
	 * @param {number} seconds @returns {Promise<string>} the clip's file
	 */
	async render(taskId, image, seconds) {
		if (this.stopped) throw new Error('the simulator stopped');
		this.folder ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-sim-videos-'));
		const input = path.join(this.folder, `${taskId}.image`);
		const output = path.join(this.folder, `${taskId}.mp4`);
		await fs.promises.writeFile(input, image.bytes);
		try {
			await renderClip({
				ffmpeg: this.ffmpeg,
				input,
				output,
				seconds,
				...frameSize(image, this.shortSide),
				onSpawn: (child) => {
					this.children.add(child);
					child.once('close', () => this.children.delete(child));
				},
			});
			return output;
		} finally {
			await fs.promises.rm(input, { force: true });
		}
	}
}

module.exports = { Mp4Videos };
