// @ts-check
// The repository's files and temporary folders, for tests. Plain JavaScript: the package lints
// every TypeScript file with n8n's rules for node code (strict mode), and node code may not touch
// the file system; tests do it through here.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The repository's root folder. */
const ROOT = path.resolve(__dirname, '../..');

/** @param {...string} parts a path inside the repository */
function repoPath(...parts) {
	return path.join(ROOT, ...parts);
}

/** @param {string} file */
function readFile(file) {
	return fs.readFileSync(file);
}

/** @param {string} file */
function fileExists(file) {
	return fs.existsSync(file);
}

/** Writes a text file, making its folder first. @param {string} file @param {string} text */
function writeFile(file, text) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
}

/** @param {string} dir */
function makeDir(dir) {
	fs.mkdirSync(dir, { recursive: true });
}

/** A new empty folder under the system's temporary folder. @param {string} prefix */
function makeTempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The names of the entries in a folder, sorted. @param {string} dir */
function listDir(dir) {
	return fs.readdirSync(dir).sort();
}

/** @param {string} dir */
function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = {
	ROOT,
	repoPath,
	readFile,
	fileExists,
	writeFile,
	makeDir,
	makeTempDir,
	listDir,
	removeDir,
};
