// @ts-check
// Each task's "video" in the simulator's default mode: deterministic bytes derived from the task
// ID, produced chunk by chunk so a 200 MB file is served without being held in memory, and
// known in advance, so tests compare what n8n stored byte for byte. Not playable: the demo
// uses mp4Videos.js instead.
const { createHash } = require('node:crypto');
const { Readable } = require('node:stream');

const CHUNK = 64 * 1024;

/**
 * @param {string} taskId
 * @param {number} index
 */
function chunkAt(taskId, index) {
	// Stretch a per-chunk hash into a chunk; cheap and repeatable.
	const seed = createHash('sha256').update(`${taskId}:${index}`).digest();
	const chunk = Buffer.alloc(CHUNK);
	for (let offset = 0; offset < CHUNK; offset += seed.length) seed.copy(chunk, offset);
	return chunk;
}

/**
 * @param {string} taskId
 * @param {number} size
 * @returns {Readable}
 */
function videoStream(taskId, size) {
	let index = 0;
	let sent = 0;
	return new Readable({
		read() {
			if (sent >= size) return void this.push(null);
			const chunk = chunkAt(taskId, index++);
			const part = chunk.subarray(0, Math.min(CHUNK, size - sent));
			sent += part.length;
			this.push(part);
		},
	});
}

/**
 * @param {string} taskId
 * @param {number} size
 * @returns {Buffer}
 */
function videoBytes(taskId, size) {
	const chunks = [];
	for (let index = 0; index * CHUNK < size; index++) chunks.push(chunkAt(taskId, index));
	return Buffer.concat(chunks).subarray(0, size);
}

/** The same interface as Mp4Videos, so the simulator serves either without knowing which. */
class NoiseVideos {
	/** @param {() => number} size the current video size (benchmarks change it between runs) */
	constructor(size) {
		this.size = size;
	}

	prepare() {
		return Promise.resolve();
	}

	/** @param {string} taskId */
	async open(taskId) {
		const size = this.size();
		return { size, stream: videoStream(taskId, size) };
	}

	/** @param {string} taskId */
	expected(taskId) {
		return videoBytes(taskId, this.size());
	}

	async stop() {}
}

module.exports = { NoiseVideos };
