// The stack is plain JavaScript shared with `npm run dev`; these are the parts the tests use,
// with the types the tests rely on.
import * as stackModule from '../../scripts/lib/stack';
import { N8N_MAJOR, N8N_VERSION, type N8nSession } from '../../scripts/lib/n8nServer';
import type { KirinSimulator } from '../simulator/server';
import { readFile, repoPath, ROOT } from '../support/files';

export interface Workflow {
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string; parameters: Record<string, unknown> }>;
	connections: Record<string, unknown>;
}
export interface Item {
	json: Record<string, unknown>;
	binary?: Record<string, { id: string; mimeType: string; fileName?: string }>;
}
export interface Execution {
	id: string;
	status: string;
	workflowId: string;
	data: { resultData: { error?: { message: string }; runData: Record<string, unknown> } };
}
export interface E2eStack {
	n8nUrl: string;
	apiBaseUrl: string;
	simulatorUrl: string;
	userFolder: string;
	simulator: KirinSimulator;
	credential: { id: string; name: string };
	session: N8nSession;
	n8nLog: string[];
	importWorkflow(
		workflow: Workflow,
		options?: { activate?: boolean },
	): Promise<{ id: string; versionId: string }>;
	run(workflowId: string, triggerName: string): Promise<string>;
	finished(executionId: string, timeoutMs?: number): Promise<Execution>;
	executions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
	execution(executionId: string): Promise<Execution>;
	binary(binary: { id: string; mimeType?: string }): Promise<Buffer>;
	triggerUrl(node: { webhookId?: string }): string;
	stop(): Promise<void>;
	restartN8n(): Promise<void>;
	createTaskAtApi(status: 'processing' | 'completed' | 'failed'): Promise<string>;
}

/** A task as the API (the simulator) holds it, with the fields the tests read. */
export interface ApiTask {
	id: string;
	status: string;
	external_task_id?: string;
	output: Array<{ content: Array<{ type: string; url: string; duration: number; jobId: string }> }>;
}

export const startStack = stackModule.startStack as unknown as (
	options?: Parameters<typeof stackModule.startStack>[0],
) => Promise<E2eStack>;
export const readExample = stackModule.readExample as unknown as (
	file: string,
	stack?: { simulatorUrl: string; n8nUrl: string },
) => Workflow;
export const output = stackModule.Stack.output as unknown as (
	execution: Execution,
	nodeName: string,
) => Item[];
export const { SIMULATOR_KEY, CALLBACK_SECRET } = stackModule;

export { ROOT };
// Which n8n the stack starts (KIRIN_N8N_VERSION, see scripts/lib/n8nVersions.js): tests adapt
// a check only where the 1.x line genuinely behaves differently, and say why.
export { N8N_MAJOR, N8N_VERSION };
export function readPackageFile(relative: string): Buffer {
	return readFile(repoPath(relative));
}

/** Everything n8n and the simulator said, for checking that the API key never appears. */
export function everythingSaid(stack: E2eStack, ...more: unknown[]): string {
	return [stack.n8nLog.join('\n'), ...more.map(stringifyCircular)].join('\n');
}

// Execution data holds circular references (n8n's HTTP Request node keeps its response object).
function stringifyCircular(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, inner: unknown) => {
		if (inner && typeof inner === 'object') {
			if (seen.has(inner)) return '[seen]';
			seen.add(inner);
		}
		return inner;
	});
}

/** The task as the simulator (the API) holds it; fails the test if there is none. */
export function apiTask(stack: E2eStack, id: unknown): ApiTask {
	const task = stack.simulator.getTask(String(id));
	if (!task) throw new Error(`the API has no task ${String(id)}`);
	return task as unknown as ApiTask;
}
