// @ts-check
// The real n8n versions the end-to-end tests run on, and where each is installed. The demo and
// the full suite use the current line; the 1.x line many self-hosted users still run gets the
// server, trigger and pause tests. KIRIN_N8N_VERSION (read by the scripts, never by node code)
// picks the version a stack starts; scripts/e2e/install-n8n.sh asks this file for the folder.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const CURRENT = '2.41.1';
const LEGACY = '1.123.81';
// n8n 2.41 asks for Node.js >= 24, n8n 1.123 for 20.19 … 24.x: one Node.js serves both.
const NODE_VERSION = '24.21.0';

/** The version a stack starts: KIRIN_N8N_VERSION, else the current line. */
function selectedVersion() {
	return process.env.KIRIN_N8N_VERSION || CURRENT;
}

/** @param {string} version */
function majorOf(version) {
	return Number(version.split('.')[0]);
}

/**
 * The git-ignored folder holding one n8n install: `.n8n-e2e/` for the current version (the demo's
 * and the one other tools point at), `.n8n-e2e-<major>.<minor>/` for any other.
 * @param {string} version
 */
function installDir(version) {
	if (version === CURRENT) return path.join(ROOT, '.n8n-e2e');
	const [major, minor] = version.split('.');
	return path.join(ROOT, `.n8n-e2e-${major}.${minor}`);
}

module.exports = { CURRENT, LEGACY, NODE_VERSION, selectedVersion, majorOf, installDir };

// `node scripts/lib/n8nVersions.js <version|current|legacy> <field>` for the shell scripts.
if (require.main === module) {
	const [which = 'current', field = 'version'] = process.argv.slice(2);
	const version = which === 'current' ? CURRENT : which === 'legacy' ? LEGACY : which;
	const fields = { version, dir: installDir(version), node: NODE_VERSION, major: String(majorOf(version)) };
	if (!(field in fields)) throw new Error(`unknown field ${field}: ${Object.keys(fields).join(', ')}`);
	console.log(fields[/** @type {keyof typeof fields} */ (field)]);
}
