#!/usr/bin/env node
// @ts-check
// `npm run release:check`: what n8n's verification would say about this package, run locally.
// n8n's scanner (@n8n/scan-community-package) first checks npm provenance and downloads the
// source commit the provenance names; both need the registry and GitHub, so they are replaced
// here by checking that a publish can only happen with provenance. Then it lints the source and
// the published tarball with its own ESLint setup: that part is run here as it is, with the
// scanner's own exported functions, on the source as it would be committed and on the tarball
// `npm pack` makes. Plus: what the tarball holds, and no runtime dependencies.
// Needs a build (dist/); `npm run release:check` builds first.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Files npm always packs besides `files`; anything else outside dist/ is a leak. */
const ALWAYS_PACKED = /^(package\.json|README(\.md)?|LICEN[CS]E(\.md)?|CHANGELOG\.md)$/i;

/** Where @n8n/scan-community-package keeps `analyzePackage`, which its CLI runs after the provenance check. */
const SCANNER_MODULE = '@n8n/scan-community-package/scanner/scanner.mjs';

/**
 * @typedef {{ passed: boolean, message?: string, details?: string }} ScanResult
 * @typedef {{
 *   analyzePackage: (dir: string, patterns: string[]) => Promise<ScanResult>,
 *   SOURCE_FILE_PATTERNS: string[],
 * }} ScannerModule
 */

/** @type {string[]} */
const failures = [];

/** @param {string} name @param {string[]} problems */
function report(name, problems) {
	if (problems.length === 0) {
		console.log(`ok    ${name}`);
		return;
	}
	console.log(`FAIL  ${name}`);
	for (const problem of problems) console.log(`        ${problem.split('\n').join('\n        ')}`);
	failures.push(name);
}

/** @param {string} command @param {string[]} args @param {string} [cwd] */
function run(command, args, cwd = ROOT) {
	// ignore-scripts keeps `npm pack` from running lifecycle scripts, as the project's .npmrc does.
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function checkPublishConfig() {
	const problems = [];
	if (pkg.publishConfig?.provenance !== true) {
		problems.push('publishConfig.provenance must be true: npm then refuses to publish without a CI identity');
	}
	if (pkg.publishConfig?.access !== 'public') {
		problems.push('publishConfig.access must be "public": npm signs provenance only for public packages');
	}
	// npm checks provenance against repository.url; the scanner then fetches that GitHub repo.
	if (!/^(git\+)?https:\/\/github\.com\/[\w.-]+\/[\w.-]+?(\.git)?$/.test(pkg.repository?.url ?? '')) {
		problems.push(
			`repository.url must be the GitHub repository (found ${JSON.stringify(pkg.repository?.url)})`,
		);
	}
	report('publishing only with npm provenance (publishConfig, repository)', problems);
}

function checkDependencies() {
	const problems = [];
	for (const field of ['dependencies', 'bundleDependencies', 'bundledDependencies', 'optionalDependencies']) {
		const value = pkg[field];
		const count = Array.isArray(value) ? value.length : Object.keys(value ?? {}).length;
		if (count > 0) problems.push(`${field} must be empty (found ${JSON.stringify(value)})`);
	}
	const peers = Object.keys(pkg.peerDependencies ?? {});
	if (peers.join() !== 'n8n-workflow')
		problems.push(`peerDependencies must be n8n-workflow only (found ${peers})`);
	report('no runtime dependencies (only the peer n8n-workflow)', problems);
}

/**
 * The icon files a built node or credential names (`icon: { light: 'file:…', dark: 'file:…' }`).
 * @param {string} file a path under dist/ @returns {string[]}
 */
function iconFiles(file) {
	const exported = require(path.join(ROOT, file));
	const Type = Object.values(exported).find((value) => typeof value === 'function');
	const instance = new Type();
	const icon = instance.description?.icon ?? instance.icon;
	const names = typeof icon === 'string' ? [icon] : Object.values(icon ?? {});
	return names.filter((name) => name.startsWith('file:')).map((name) => name.slice('file:'.length));
}

/** @returns {string[]} the paths `npm pack` would put in the tarball */
function checkPackContents() {
	const [{ files }] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']));
	/** @type {string[]} */
	const paths = files.map((/** @type {{ path: string }} */ file) => file.path);
	const problems = paths
		.filter((file) => !file.startsWith('dist/') && !ALWAYS_PACKED.test(file) && file !== pkg.main)
		.map((file) => `not part of the package: ${file}`);
	const expected = [...pkg.n8n.nodes, ...pkg.n8n.credentials].flatMap((file) => {
		const folder = path.posix.dirname(file);
		const codex = file.endsWith('.node.js') ? [file.replace(/\.js$/, '.json')] : [];
		return [file, ...codex, ...iconFiles(file).map((icon) => `${folder}/${icon}`)];
	});
	for (const file of expected) if (!paths.includes(file)) problems.push(`missing: ${file}`);
	if (paths.some((file) => /\.(test|spec)\.js$|\.map$|\.ts$/.test(file))) {
		problems.push('tests, source maps or TypeScript sources are packed');
	}
	report(
		`npm pack contents (${paths.length} files: dist/, ${pkg.main}, package.json, README.md, LICENSE)`,
		problems,
	);
	return paths;
}

/**
 * The source as the provenance would attest it: tracked and new files, nothing git ignores.
 * @param {string} target
 */
function copySource(target) {
	const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'])
		.split('\0')
		.filter((file) => file && fs.existsSync(path.join(ROOT, file)));
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
		fs.copyFileSync(path.join(ROOT, file), path.join(target, file));
	}
}

/** @param {string} target */
function unpackTarball(target) {
	const [{ filename }] = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', target]),
	);
	fs.mkdirSync(path.join(target, 'package'));
	run('tar', ['-xzf', filename, '-C', 'package', '--strip-components=1'], target);
	return path.join(target, 'package');
}

async function checkWithScanner() {
	// The scanner's own module: the same ESLint config and file patterns n8n's verification uses.
	/** @type {ScannerModule} */
	const scanner = await import(SCANNER_MODULE);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-release-check-'));
	try {
		const source = path.join(work, 'source');
		copySource(source);
		const sourceResult = await scanner.analyzePackage(source, scanner.SOURCE_FILE_PATTERNS);
		report(
			`scanner lint of the source (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`,
			scannerProblems(sourceResult),
		);

		const unpacked = unpackTarball(work);
		// The same patterns the scanner applies to the downloaded tarball.
		const tarballResult = await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json']);
		report('scanner lint of the packed tarball (**/*.js, package.json)', scannerProblems(tarballResult));
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/** @param {ScanResult} result */
function scannerProblems(result) {
	return result.passed ? [] : [[result.message, result.details].filter(Boolean).join('\n')];
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'dist'))) {
		console.error('No dist/: run `npm run build` first (`npm run release:check` does).');
		process.exit(1);
	}
	console.log(`Release check of ${pkg.name}@${pkg.version}`);
	console.log('skip  provenance of the published version and download of its source (need the registry)');
	checkPublishConfig();
	checkDependencies();
	checkPackContents();
	await checkWithScanner();
	if (failures.length > 0) {
		console.log(`\n${failures.length} check(s) failed.`);
		process.exit(1);
	}
	console.log('\nAll release checks passed.');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
