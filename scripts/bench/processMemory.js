// @ts-check
// Another process's memory, from /proc: what B3 and B6 measure of the n8n server.
const fs = require('node:fs');

/** @param {number} pid @param {'VmRSS' | 'VmHWM'} field bytes */
function memory(pid, field) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	if (!match) throw new Error(`no ${field} for ${pid}`);
	return Number(match[1]) * 1024;
}

/** Resets the kernel's peak (VmHWM) to the current RSS, so the next read sees this run's peak. @param {number} pid */
function resetPeak(pid) {
	fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * Reads VmRSS every `intervalMs` until stopped: the timeline that says in which step of a
 * workflow the peak fell (VmHWM gives the peak itself, but not when). A process that has
 * exited ends the timeline.
 * @param {number} pid @param {number} intervalMs
 */
function sampleRss(pid, intervalMs) {
	/** @type {Array<{ at: number, rss: number }>} at: Date.now() */
	const samples = [];
	const read = () => {
		try {
			samples.push({ at: Date.now(), rss: memory(pid, 'VmRSS') });
		} catch {
			clearInterval(timer);
		}
	};
	const timer = setInterval(read, intervalMs);
	read();
	return {
		stop() {
			clearInterval(timer);
			read();
			return samples;
		},
	};
}

module.exports = { memory, resetPeak, sampleRss };
