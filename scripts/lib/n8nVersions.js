// @ts-check
// The real n8n versions the end-to-end tests run on, and where each is installed. The demo and
// the full suite use the 2.x line; the 1.x line many self-hosted users still run gets the
// server, trigger and pause tests. KIRIN_N8N_VERSION (read by the scripts, never by node code)
// picks the version a stack starts: a line (`2.x`, `1.x`) or an exact version.
// scripts/e2e/install-n8n.sh asks this file for the version and the folder.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
/** The version each tested line runs. 1.123.81: the newest 1.x on the registry. */
const LINES = { '2.x': '2.41.1', '1.x': '1.123.81' };
const DEFAULT_LINE = '2.x';
// n8n 2.41 asks for Node.js >= 24, n8n 1.123 for 20.19 … 24.x: one Node.js serves both.
const NODE_VERSION = '24.21.0';

/** @param {string} [nameOrVersion] a line (`1.x`), an exact version, or nothing for the default line */
function resolveVersion(nameOrVersion) {
	const name = nameOrVersion || DEFAULT_LINE;
	return LINES[/** @type {keyof typeof LINES} */ (name)] ?? name;
}

/** The version a stack starts: KIRIN_N8N_VERSION, else the default line. */
function selectedVersion() {
	return resolveVersion(process.env.KIRIN_N8N_VERSION);
}

/** @param {string} version */
function majorOf(version) {
	return Number(version.split('.')[0]);
}

/**
 * The git-ignored folder holding one n8n install: `.n8n-e2e/` for the default line (the demo's,
 * and the one other tools point at), `.n8n-e2e-<major>.<minor>/` for any other version.
 * @param {string} version
 */
function installDir(version) {
	if (version === LINES[DEFAULT_LINE]) return path.join(ROOT, '.n8n-e2e');
	const [major, minor] = version.split('.');
	return path.join(ROOT, `.n8n-e2e-${major}.${minor}`);
}

module.exports = { LINES, NODE_VERSION, resolveVersion, selectedVersion, majorOf, installDir };

// `node scripts/lib/n8nVersions.js [line|version] [version|dir|node]`, for the shell scripts.
if (require.main === module) {
	const [which, field = 'version'] = process.argv.slice(2);
	const version = resolveVersion(which);
	const fields = { version, dir: installDir(version), node: NODE_VERSION };
	if (!(field in fields)) throw new Error(`unknown field ${field}: ${Object.keys(fields).join(', ')}`);
	console.log(fields[/** @type {keyof typeof fields} */ (field)]);
}
