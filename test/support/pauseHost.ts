import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type IRun,
	type IWorkflowBase,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { Kirin } from '../../nodes/Kirin/Kirin.node';
import { additionalData, engineWorkflow, type WorkflowJson } from './engine';
import type { Request, Response } from './httpServer';
import { readRequest, webhookContext, WebhookHost } from './webhookRequest';

/** One resume call and what the node's webhook answered. */
export interface ResumeAnswer {
	status: number;
	body: unknown;
	retryAfter?: string;
}

interface Waiting {
	workflow: Workflow;
	workflowData: IWorkflowBase;
	run: IRun;
	resumed: boolean;
	finished: (run: IRun) => void;
}

/**
 * Pause Until Kirin Calls Back, in n8n's real engine: runs a workflow until the Kirin node puts
 * the execution to wait, serves the execution's resume URL (n8n's `webhook-waiting` route) on a
 * real port so the simulator's callbacks reach it, calls the node's webhook() through n8n-core's
 * WebhookContext, and resumes the execution the way n8n's waiting-webhooks service does: the
 * node disabled, its waiting run dropped, the webhook's output forwarded as the node's output.
 */
export class PauseHost extends WebhookHost {
	readonly answers: ResumeAnswer[] = [];
	private baseUrl = '';
	private readonly waiting = new Map<string, Waiting>();
	/** Executions started and not yet stored as waiting or finished. */
	private readonly running = new Set<string>();

	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async start(): Promise<void> {
		this.baseUrl = `${await this.listen()}/webhook-waiting`;
	}

	/**
	 * Runs `json` from its first node. `paused` resolves with the run as it stopped to wait (or
	 * finished, if the node did not pause); `finished` with the run after it was resumed.
	 */
	run(json: WorkflowJson): { executionId: string; paused: Promise<IRun>; finished: Promise<IRun> } {
		const executionId = randomUUID();
		const { workflow, workflowData } = engineWorkflow(json);
		let finish!: (run: IRun) => void;
		const finished = new Promise<IRun>((resolve) => (finish = resolve));
		const paused = new Promise<IRun>((resolve, reject) => {
			this.running.add(executionId);
			const hooks = this.hooks(executionId, workflowData, (run) => {
				this.running.delete(executionId);
				if (run.waitTill) {
					this.waiting.set(executionId, { workflow, workflowData, run, resumed: false, finished: finish });
				} else {
					finish(run);
				}
				resolve(run);
			});
			new WorkflowExecute(this.additionalData(hooks, executionId), 'manual')
				.run({ workflow, startNode: json.nodes[0] })
				.catch(reject);
		});
		return { executionId, paused, finished };
	}

	private hooks(executionId: string, workflowData: IWorkflowBase, after: (run: IRun) => void) {
		const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
		hooks.addHandler('workflowExecuteAfter', (run) => after(run));
		return hooks;
	}

	private additionalData(hooks: ExecutionLifecycleHooks, executionId: string) {
		const data = additionalData(hooks, executionId, this.credentials);
		data.webhookWaitingBaseUrl = this.baseUrl;
		return data;
	}

	protected async handle(req: Request, res: Response): Promise<void> {
		const request = await readRequest(req);
		const executionId = request.url.pathname.split('/').pop() ?? '';
		const waiting = this.waiting.get(executionId);
		// n8n answers a call for an execution still running (not yet stored as waiting) with an
		// error (a 500 from n8n 2.41.1, measured in test/e2e/pause.test.ts), and one it does not
		// know or that is no longer waiting with a 404 or 409: the node's webhook never sees it.
		if (!waiting || waiting.resumed) {
			const status = this.running.has(executionId) ? 500 : 404;
			res.writeHead(status).end('{"message":"not waiting"}');
			this.answers.push({ status, body: null });
			return;
		}
		const runExecutionData = waiting.run.data;
		const nodeName = runExecutionData.resultData.lastNodeExecuted!;
		const { context, sent } = webhookContext(req, res, request, {
			workflow: waiting.workflow,
			node: waiting.workflow.getNode(nodeName) as INode,
			data: this.additionalData(undefined as never, executionId),
			mode: 'manual',
			webhookDescription: new Kirin().description.webhooks![0],
			path: '',
			runExecutionData,
		});
		const result = await new Kirin().webhook.call(context);
		const retryAfter = res.getHeader('retry-after');
		this.answers.push({
			status: res.statusCode,
			body: sent.body,
			...(retryAfter === undefined ? {} : { retryAfter: String(retryAfter) }),
		});
		// Two final callbacks at once can both find every task done: the first resumes.
		if (!result.workflowData || waiting.resumed) return;

		// What n8n's waiting webhooks do before running the execution on.
		waiting.resumed = true;
		runExecutionData.waitTill = undefined;
		const [resuming] = runExecutionData.executionData!.nodeExecutionStack;
		resuming.node.disabled = true;
		runExecutionData.resultData.runData[nodeName].pop();
		resuming.data.main = result.workflowData;
		resuming.metadata = { ...resuming.metadata, forwardAllOutputs: true };
		const hooks = this.hooks(executionId, waiting.workflowData, (run) => waiting.finished(run));
		await new WorkflowExecute(
			this.additionalData(hooks, executionId),
			'manual',
			runExecutionData,
		).processRunExecutionData(waiting.workflow);
	}
}
