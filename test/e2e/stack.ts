import { readFileSync } from 'node:fs';
import path from 'node:path';

// The stack is plain JavaScript shared with `npm run dev`; these are the parts the tests use.
// eslint ignores test/, but TypeScript checks this file.
const stackModule = require('../../scripts/lib/stack') as {
	startStack: (options?: Record<string, unknown>) => Promise<E2eStack>;
	readExample: (file: string, stack?: { simulatorUrl: string; n8nUrl: string }) => Workflow;
	Stack: { output: (execution: Execution, nodeName: string) => Item[] };
	SIMULATOR_KEY: string;
	CALLBACK_SECRET: string;
};
// Which n8n the stack starts (KIRIN_N8N_VERSION, see scripts/lib/n8nVersions.js): tests adapt
// a check only where the 1.x line genuinely behaves differently, and say why.
const { N8N_VERSION, N8N_MAJOR } = require('../../scripts/lib/n8nServer') as {
	N8N_VERSION: string;
	N8N_MAJOR: number;
};
export { N8N_VERSION, N8N_MAJOR };

import type { KirinSimulator } from '../simulator/server';

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
	session: { cookie: string; request: (method: string, route: string, body?: unknown) => Promise<any> };
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

export const { startStack, readExample, SIMULATOR_KEY, CALLBACK_SECRET } = stackModule;
export const output = stackModule.Stack.output;

export const ROOT = path.resolve(__dirname, '../..');
export function readPackageFile(relative: string): Buffer {
	return readFileSync(path.join(ROOT, relative));
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
export function apiTask(stack: E2eStack, id: unknown): any {
	const task = stack.simulator.getTask(String(id));
	if (!task) throw new Error(`the API has no task ${String(id)}`);
	return task;
}
