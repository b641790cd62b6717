// @ts-check
// The whole stack the demo and the end-to-end tests run: the Kirin simulator (the API, or only
// the sample photos when a real API key is given), a real n8n with this package installed, the owner logged in, the Kirin API
// credential created, and helpers to import workflows and follow their executions.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { KirinSimulator } = require('../../test/simulator');
const { N8nSession, startN8n, INSTALL, ROOT } = require('./n8nServer');
const n8nRest = require('./n8nRest');

const SIMULATOR_KEY = 'sk-simulator-demo';
const CALLBACK_SECRET = 'demo-callback-secret';
const CREDENTIAL_NAME = 'Kirin API';

/** @returns {Promise<number>} a port nobody listens on right now */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** n8n stores execution data in its own "flatted" format; n8n ships the parser. */
function parseFlatted(/** @type {string} */ text) {
	// flatted comes with the n8n install, not with this package.
	const flatted = require(path.join(INSTALL, 'node_modules/flatted'));
	return flatted.parse(text);
}

/**
 * Replaces every Kirin API credential reference in a workflow by the one this stack created, so
 * the example files stay importable as they are.
 * @param {any} workflow @param {{ id: string, name: string }} credential
 */
function withCredential(workflow, credential) {
	return {
		...workflow,
		nodes: workflow.nodes.map((/** @type {any} */ node) =>
			node.credentials?.kirinApi
				? { ...node, credentials: { ...node.credentials, kirinApi: credential } }
				: node,
		),
	};
}

class Stack {
	/**
	 * @param {{
	 *   session: N8nSession, n8n: import('node:child_process').ChildProcess, n8nUrl: string, userFolder: string,
	 *   simulator: KirinSimulator, simulatorUrl: string, apiBaseUrl: string, credential: { id: string, name: string },
	 *   ownsFolder: boolean, n8nLog: string[],
	 *   launcher: () => { n8n: import('node:child_process').ChildProcess, ready: Promise<N8nSession> }
	 * }} parts
	 */
	constructor(parts) {
		this.session = parts.session;
		this.n8n = parts.n8n;
		this.n8nUrl = parts.n8nUrl;
		this.userFolder = parts.userFolder;
		this.simulator = parts.simulator;
		this.simulatorUrl = parts.simulatorUrl;
		this.apiBaseUrl = parts.apiBaseUrl;
		this.credential = parts.credential;
		this.ownsFolder = parts.ownsFolder;
		this.n8nLog = parts.n8nLog;
		this.launcher = parts.launcher;
	}

	/**
	 * Creates a workflow from its JSON (an example file, say) wired to this stack's credential.
	 * @param {any} workflow @param {{ activate?: boolean }} [options]
	 * @returns {Promise<{ id: string, versionId: string, name: string }>}
	 */
	async importWorkflow(workflow, options = {}) {
		const body = withCredential(workflow, this.credential);
		const created = await this.session.request('POST', '/rest/workflows', {
			name: body.name,
			nodes: body.nodes,
			connections: body.connections,
			settings: body.settings ?? { executionOrder: 'v1' },
			pinData: body.pinData ?? {},
			...n8nRest.newWorkflowFields(),
		});
		if (options.activate) await this.activate(created.id, created.versionId);
		return created;
	}

	/**
	 * Activates (publishes) a workflow and waits until its triggers are live.
	 * @param {string} id @param {string} versionId
	 */
	async activate(id, versionId) {
		await n8nRest.activate(this.session, id, versionId);
	}

	/** @param {string} workflowId @param {string} triggerName @returns {Promise<string>} the execution ID */
	async run(workflowId, triggerName) {
		const result = await this.session.request(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			await n8nRest.runBody(this.session, workflowId, triggerName),
		);
		if (!result?.executionId) throw new Error(`n8n did not start the workflow: ${JSON.stringify(result)}`);
		return String(result.executionId);
	}

	/**
	 * One execution with its run data decoded.
	 * @param {string} executionId
	 * @returns {Promise<{ id: string, status: string, finished: boolean, workflowId: string, data: any }>}
	 */
	async execution(executionId) {
		const execution = await this.session.request('GET', `/rest/executions/${executionId}`);
		return {
			...execution,
			data: typeof execution.data === 'string' ? parseFlatted(execution.data) : execution.data,
		};
	}

	/**
	 * Waits until an execution has ended (success, error, canceled) and returns it.
	 * n8n has no REST "wait for execution", so this asks every 250 ms.
	 * @param {string} executionId @param {number} [timeoutMs]
	 */
	async finished(executionId, timeoutMs = 120_000) {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.execution(executionId).catch((error) => {
				if (error.status === 404) return undefined; // not saved yet
				throw error;
			});
			if (execution && !['new', 'running', 'waiting'].includes(execution.status)) return execution;
			if (Date.now() > until) throw new Error(`execution ${executionId} did not finish in ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** @param {string} workflowId @returns {Promise<Array<{ id: string, status: string }>>} */
	async executions(workflowId) {
		return await n8nRest.listExecutions(this.session, workflowId);
	}

	/** The items a node put out in an execution's first run of it. @param {any} execution @param {string} nodeName */
	static output(execution, nodeName) {
		const runs = execution.data?.resultData?.runData?.[nodeName];
		if (!runs?.length) throw new Error(`node "${nodeName}" did not run`);
		return runs[0].data.main[0] ?? [];
	}

	/** Downloads a binary property n8n stored for an execution. @param {{ id: string, mimeType?: string }} binary */
	async binary(binary) {
		const query = new URLSearchParams({ id: binary.id, action: 'download', mimeType: binary.mimeType ?? '' });
		const response = await fetch(`${this.n8nUrl}/rest/binary-data?${query}`, {
			headers: { cookie: this.session.cookie, 'browser-id': 'kirin-e2e' },
		});
		if (!response.ok) throw new Error(`binary ${binary.id}: ${response.status}`);
		return Buffer.from(await response.arrayBuffer());
	}

	/**
	 * A task made at the simulator directly (not through n8n), moved to `status`: material for
	 * forged callbacks and for load.
	 * @param {'processing' | 'completed' | 'failed'} status @returns {Promise<string>} the task ID
	 */
	async createTaskAtApi(status) {
		const response = await fetch(`${this.simulatorUrl}/model/v1/generation`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SIMULATOR_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				model: 'kirin_v2_1_master_i2v',
				input: [
					{
						params: {
							image: `${this.simulatorUrl}/samples/p-1024x1024.png`,
							prompt: 'direct',
							duration: '5',
						},
					},
				],
			}),
		});
		const task = /** @type {{ id: string }} */ (await response.json());
		this.simulator.setTaskStatus(task.id, status);
		return task.id;
	}

	/** The production URL of a Kirin Trigger node. @param {{ webhookId: string }} triggerNode */
	triggerUrl(triggerNode) {
		return `${this.n8nUrl}/webhook/${triggerNode.webhookId}/kirin`;
	}

	async stopN8n() {
		const n8n = this.n8n;
		if (n8n.exitCode === null && n8n.signalCode === null) {
			const exited = new Promise((resolve) => n8n.once('exit', resolve));
			n8n.kill('SIGTERM');
			const timer = setTimeout(() => n8n.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
	}

	/** Stops n8n and starts it again on the same user folder and port (the simulator keeps running). */
	async restartN8n() {
		await this.stopN8n();
		const { n8n, ready } = this.launcher();
		this.n8n = n8n;
		this.session = await ready;
	}

	async stop() {
		await this.stopN8n();
		await this.simulator.stop();
		if (this.ownsFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/**
 * Starts n8n and resolves once it answers and the owner is logged in; rejects if it exits first.
 * @param {{ userFolder: string, port: number, env?: Record<string, string> }} where
 * @param {(line: string) => void} log
 */
function launchN8n(where, log) {
	/** @type {string[]} */
	const recent = [];
	const n8n = startN8n({
		...where,
		log: (line) => {
			recent.push(line);
			if (recent.length > 30) recent.shift();
			log(line);
		},
	});
	const exited = new Promise((_, reject) =>
		n8n.once('exit', (code) =>
			reject(new Error(`n8n exited (${code}) before it was ready:\n${recent.join('\n')}`)),
		),
	);
	const ready = Promise.race([new N8nSession(`http://127.0.0.1:${where.port}`).ready(), exited]);
	return { n8n, ready: /** @type {Promise<N8nSession>} */ (ready) };
}

/**
 * Starts the simulator and n8n, sets up the owner and the credential.
 * @param {{
 *   userFolder?: string, n8nPort?: number, simulatorPort?: number,
 *   apiKey?: string, apiBaseUrl?: string,
 *   simulator?: import('../../test/simulator/server').SimulatorOptions,
 *   log?: (line: string) => void, env?: Record<string, string>
 * }} [options]
 * @returns {Promise<Stack>}
 */
async function startStack(options = {}) {
	if (!fs.existsSync(path.join(ROOT, 'dist/nodes/Kirin/Kirin.node.js'))) {
		throw new Error('the package is not built: run `npm run build` first');
	}
	const realApi = Boolean(options.apiKey);
	// Started even against the real API: it serves the sample photos the examples download.
	const simulator = new KirinSimulator({ apiKey: SIMULATOR_KEY, ...options.simulator });
	const simulatorUrl = await simulator.start({ port: options.simulatorPort ?? 0 });
	const apiBaseUrl = realApi ? (options.apiBaseUrl ?? 'https://cloud.vtrix.ai') : simulatorUrl;
	const ownsFolder = !options.userFolder;
	const userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-n8n-'));
	const port = options.n8nPort ?? (await freePort());
	// n8n 2 always starts its task runner broker, on 5679 unless told otherwise: a second n8n on
	// the machine (another checkout's tests) would make this one exit at start.
	const env = { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env };
	/** @type {string[]} */
	const n8nLog = [];
	const launcher = () =>
		launchN8n({ userFolder, port, env }, (line) => {
			n8nLog.push(line);
			if (n8nLog.length > 2000) n8nLog.shift();
			options.log?.(line);
		});
	const n8nUrl = `http://127.0.0.1:${port}`;
	const { n8n, ready } = launcher();
	try {
		const session = await ready;
		const credential = await ensureCredential(session, {
			apiKey: realApi ? String(options.apiKey) : SIMULATOR_KEY,
			baseUrl: apiBaseUrl,
			callbackSecret: CALLBACK_SECRET,
			// The simulator serves the model's spec too (the gateway's models host, for Model Fields).
			...(realApi ? {} : { modelSpecUrl: simulatorUrl }),
		});
		return new Stack({
			session,
			n8n,
			n8nUrl,
			userFolder,
			simulator,
			simulatorUrl,
			apiBaseUrl,
			credential,
			ownsFolder,
			n8nLog,
			launcher,
		});
	} catch (error) {
		n8n.kill('SIGKILL');
		await simulator.stop();
		throw error;
	}
}

/**
 * The Kirin API credential, created once per user folder (the demo restarts on the same folder).
 * @param {N8nSession} session @param {{ apiKey: string, baseUrl: string, callbackSecret: string, modelSpecUrl?: string }} data
 */
async function ensureCredential(session, data) {
	const existing = await session.request('GET', '/rest/credentials');
	const found = existing.find((/** @type {any} */ c) => c.type === 'kirinApi' && c.name === CREDENTIAL_NAME);
	if (found) {
		await session.request('PATCH', `/rest/credentials/${found.id}`, {
			name: CREDENTIAL_NAME,
			type: 'kirinApi',
			data,
		});
		return { id: String(found.id), name: CREDENTIAL_NAME };
	}
	const created = await session.request('POST', '/rest/credentials', {
		name: CREDENTIAL_NAME,
		type: 'kirinApi',
		data,
	});
	return { id: String(created.id), name: CREDENTIAL_NAME };
}

// The examples point at the demo's fixed addresses (`npm run dev`); a stack on other ports
// rewrites them so the same files run in the tests.
const DEMO_SIMULATOR_URL = 'http://127.0.0.1:4010';
const DEMO_N8N_URL = 'http://127.0.0.1:5678';

/**
 * An example workflow from examples/, with the demo's addresses replaced by this stack's.
 * @param {string} file @param {{ simulatorUrl: string, n8nUrl: string }} [stack]
 */
function readExample(file, stack) {
	let text = fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8');
	if (stack)
		text = text.split(DEMO_SIMULATOR_URL).join(stack.simulatorUrl).split(DEMO_N8N_URL).join(stack.n8nUrl);
	return JSON.parse(text);
}

module.exports = {
	startStack,
	ensureCredential,
	parseFlatted,
	Stack,
	freePort,
	readExample,
	DEMO_SIMULATOR_URL,
	DEMO_N8N_URL,
	SIMULATOR_KEY,
	CALLBACK_SECRET,
	CREDENTIAL_NAME,
};
