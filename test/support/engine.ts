import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IPinData,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { KirinApi } from '../../credentials/KirinApi.credentials';
import { Kirin } from '../../nodes/Kirin/Kirin.node';
import { properties as operationProperties } from '../../nodes/Kirin/actions/operations';
import { KirinTrigger } from '../../nodes/KirinTrigger/KirinTrigger.node';
// n8n's own Loop Over Items node, for the execution patterns users build around Kirin.
import { SplitInBatchesV3 } from 'n8n-nodes-base/dist/nodes/SplitInBatches/v3/SplitInBatchesV3.node';
// n8n's If node, for the README's "Estimate Cost → If the total is within budget → Create".
import { If } from 'n8n-nodes-base/dist/nodes/If/If.node';
import { TestCredentialsHelper } from './credentialsHelper';
import { SeedItems } from './testNodes';

/** Node type names as n8n registers a community package's nodes. */
export const TYPES = {
	kirin: 'n8n-nodes-kirin.kirin',
	kirinTool: 'n8n-nodes-kirin.kirinTool',
	/** The same tool in an n8n older than the `@tool` display option (before 1.87): normal parameters. */
	kirinToolWithoutToolFields: 'n8n-nodes-kirin.plainKirinTool',
	trigger: 'n8n-nodes-kirin.kirinTrigger',
	seed: 'test.seedItems',
	loop: 'n8n-nodes-base.splitInBatches',
	if: 'n8n-nodes-base.if',
} as const;

/** A node as n8n derives its AI Agent tool ("Kirin Tool"): the same execute, a name ending in "Tool". */
function asAiTool(node: INodeType, name: string, properties = node.description.properties): INodeType {
	const tool = Object.create(node) as INodeType;
	tool.description = { ...node.description, name, properties };
	return tool;
}

const registry: Record<string, INodeType> = {
	[TYPES.kirin]: new Kirin(),
	[TYPES.kirinTool]: asAiTool(new Kirin(), 'kirinTool'),
	[TYPES.kirinToolWithoutToolFields]: asAiTool(new Kirin(), 'plainKirinTool', operationProperties),
	[TYPES.trigger]: new KirinTrigger(),
	[TYPES.seed]: new SeedItems(),
	[TYPES.loop]: new SplitInBatchesV3(),
	[TYPES.if]: new If().getNodeType(2.2),
};

export const nodeTypes: INodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type) => registry[type],
	getKnownTypes: () => ({}),
};

export interface WorkflowJson {
	/**
	 * The workflow's ID. Each run without one is a workflow of its own, so tests do not share
	 * tasks through the node's idempotency keys; give the same ID to run "the same workflow" again.
	 */
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	/** Output pinned per node name, as the editor's "pin data" stores it. */
	pinData?: IPinData;
}

export interface StartedRun {
	executionId: string;
	/** Resolves with the finished run, as n8n's workflowExecuteAfter hook reports it. */
	finished: Promise<IRun>;
	cancel(): void;
}

export function additionalData(
	hooks: ExecutionLifecycleHooks,
	executionId: string,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		hooks,
		executionId,
		credentialsHelper: new TestCredentialsHelper({ kirinApi: new KirinApi() }, credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('Code runners are not used in these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A workflow JSON as n8n's engine holds it: the Workflow, and the data its hooks carry. */
export function engineWorkflow(json: WorkflowJson): { workflow: Workflow; workflowData: IWorkflowBase } {
	const workflowId = json.id ?? randomUUID();
	const workflow = new Workflow({
		id: workflowId,
		name: json.name ?? 'engine test',
		nodes: json.nodes,
		connections: json.connections,
		nodeTypes,
		active: false,
		settings: {},
	});
	const workflowData = { id: workflowId, nodes: json.nodes, connections: json.connections } as IWorkflowBase;
	return { workflow, workflowData };
}

/** Starts a workflow JSON in n8n's real engine, from its first node, as a manual execution. */
export function startWorkflow(
	json: WorkflowJson,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	executionId: string = randomUUID(),
): StartedRun {
	const { workflow, workflowData } = engineWorkflow(json);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let running: ReturnType<WorkflowExecute['run']> | undefined;
	const finished = new Promise<IRun>((resolve, reject) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
		const execution = new WorkflowExecute(additionalData(hooks, executionId, credentials), 'manual');
		running = execution.run({ workflow, startNode: json.nodes[0], pinData: json.pinData });
		running.catch(reject);
	});
	return { executionId, finished, cancel: () => running?.cancel() };
}

export async function runWorkflow(
	json: WorkflowJson,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	executionId?: string,
): Promise<IRun> {
	return await startWorkflow(json, credentials, executionId).finished;
}

/** The items a node output in its (only) run, or an empty list. */
export function outputOf(run: IRun, nodeName: string): INodeExecutionData[] {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main[0] ?? [];
}

/** The run's error: `message` says what happened, `description` what to do. */
export function errorOf(run: IRun): (Error & { description?: string | null }) | undefined {
	return run.data.resultData.error as (Error & { description?: string | null }) | undefined;
}

/** Seed → Kirin, the shape of every engine test. */
export function kirinWorkflow(
	seed: unknown[],
	kirinParameters: INode['parameters'],
	kirinSettings: Partial<INode> = {},
): WorkflowJson {
	return {
		nodes: [
			{
				id: 'seed',
				name: 'Seed',
				type: TYPES.seed,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(seed) },
			},
			{
				id: 'kirin-node',
				name: 'Kirin',
				type: TYPES.kirin,
				typeVersion: 1,
				position: [200, 0],
				parameters: kirinParameters,
				credentials: { kirinApi: { id: '1', name: 'Kirin (test)' } },
				...kirinSettings,
			},
		],
		connections: { Seed: { main: [[{ node: 'Kirin', type: 'main', index: 0 }]] } },
	};
}
