// @ts-check
// B4: what the package costs an n8n install: the packed tarball, and the time to load every
// node and credential of dist/ in a fresh Node.js process, over and above n8n-workflow itself.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

function tarball() {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: ROOT, encoding: 'utf8' }),
	);
	return { bytes: packed.size, unpackedBytes: packed.unpackedSize, files: packed.entryCount };
}

// Runs in a child process so each measurement starts cold.
const PROBE = `
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const pkg = require(path.join(process.cwd(), 'package.json'));
const t0 = performance.now();
require('n8n-workflow');
const t1 = performance.now();
for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	const exported = require(path.join(process.cwd(), file));
	for (const Type of Object.values(exported)) if (typeof Type === 'function') new Type();
}
const t2 = performance.now();
process.stdout.write(JSON.stringify({ workflow: t1 - t0, ours: t2 - t1 }));
`;

/** @param {number[]} values */
function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function loadTime(runs = 15) {
	const samples = Array.from({ length: runs }, () =>
		JSON.parse(execFileSync(process.execPath, ['-e', PROBE], { cwd: ROOT, encoding: 'utf8' })),
	);
	return {
		runs,
		medianMs: median(samples.map((sample) => sample.ours)),
		maxMs: Math.max(...samples.map((sample) => sample.ours)),
		workflowMedianMs: median(samples.map((sample) => sample.workflow)),
	};
}

module.exports = { tarball, loadTime, median };
