import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
} from 'n8n-workflow';

import { KirinTrigger } from '../../nodes/KirinTrigger/KirinTrigger.node';
import { additionalData, nodeTypes, TYPES } from './engine';
import type { Request, Response } from './httpServer';
import { readRequest, webhookContext, WebhookHost } from './webhookRequest';

export interface Answer {
	status: number;
	/** What the trigger answered, parsed. */
	response: unknown;
	/** What the callback posted. */
	request: unknown;
	headers: Record<string, string | number | string[] | undefined>;
}

/**
 * Hosts the Kirin Trigger's webhook on a real HTTP port, calling the node's webhook() through
 * n8n-core's own WebhookContext (real helpers, real credential handling) the way n8n's
 * webhook server does for each request. Started runs are recorded instead of executed.
 */
export class TriggerHost extends WebhookHost {
	readonly runs: INodeExecutionData[][] = [];
	readonly answers: Answer[] = [];
	/** Callbacks handed to the node's webhook() so far, answered or not (see `entered`). */
	private calls = 0;
	/** Called after each answered callback (see `handled`), and as each reaches the node (`entered`). */
	private waiters: Array<() => void> = [];
	private readonly workflow: Workflow;
	private readonly node: INode;

	constructor(
		parameters: INodeParameters,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		this.node = {
			id: 'trigger-node',
			name: 'Kirin Trigger',
			type: TYPES.trigger,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'kirin-webhook',
			parameters,
			credentials: { kirinApi: { id: '1', name: 'Kirin (test)' } },
		};
		this.workflow = new Workflow({
			id: 'trigger-test',
			nodes: [this.node],
			connections: {},
			nodeTypes,
			active: true,
			staticData: {},
		});
	}

	async start(): Promise<string> {
		return `${await this.listen()}/webhook/kirin-webhook/kirin`;
	}

	protected async handle(req: Request, res: Response): Promise<void> {
		const request = await readRequest(req);
		const { context, sent } = webhookContext(req, res, request, {
			workflow: this.workflow,
			node: this.node,
			data: additionalData(undefined as never, 'webhook-test', this.credentials),
			mode: 'webhook',
			webhookDescription: new KirinTrigger().description.webhooks![0],
			path: 'kirin',
			webhookId: 'kirin-webhook',
		});
		try {
			this.calls += 1;
			this.wake();
			const result = await new KirinTrigger().webhook.call(context);
			if (!res.writableEnded) {
				sent.body = result.webhookResponse ?? {};
				res.writeHead(200).end(JSON.stringify(sent.body));
			}
			if (result.workflowData) this.runs.push(result.workflowData[0]);
		} catch (error) {
			if (!res.writableEnded) {
				sent.body = { message: (error as Error).message };
				res.writeHead(500).end(JSON.stringify(sent.body));
			}
		}
		this.answers.push({
			status: res.statusCode,
			response: sent.body,
			request: request.body,
			headers: res.getHeaders(),
		});
		this.wake();
	}

	private wake(): void {
		for (const wake of this.waiters.splice(0)) wake();
	}

	private async until(done: () => boolean): Promise<void> {
		while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
	}

	/** Resolves once `count` callbacks have been answered and processed. */
	async handled(count: number): Promise<void> {
		await this.until(() => this.answers.length >= count);
	}

	/** Resolves once `count` callbacks have reached the node's webhook(), answered or not. */
	async entered(count: number): Promise<void> {
		await this.until(() => this.calls >= count);
	}
}
