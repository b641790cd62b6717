import { WebhookContext } from 'n8n-core';
import type {
	INode,
	IRunExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { readBody, serve, type Listening, type Request, type Response } from './httpServer';

/**
 * What n8n's webhook server hands a node's webhook(), over a real Node.js request and response:
 * the plumbing the Kirin Trigger's host and Pause's host share.
 */

/** A loopback HTTP server whose every request goes to `handle`: a host of a node's webhook. */
export abstract class WebhookHost {
	private listening: Listening | undefined;

	/** Starts serving; resolves with the server's origin (`http://127.0.0.1:<port>`). */
	protected async listen(): Promise<string> {
		this.listening = await serve((req, res) => void this.handle(req, res));
		return this.listening.url;
	}

	async stop(): Promise<void> {
		await this.listening?.stop();
	}

	protected abstract handle(req: Request, res: Response): Promise<void>;
}

/** A request as the webhook server reads it before calling a node: its URL and JSON body. */
export async function readRequest(req: Request): Promise<{ url: URL; body: unknown }> {
	return { url: new URL(req.url ?? '/', 'http://127.0.0.1'), body: await readJson(req) };
}

export interface WebhookCall {
	workflow: Workflow;
	node: INode;
	/** The execution's additional data; the request and the response are added to it. */
	data: IWorkflowExecuteAdditionalData;
	mode: WorkflowExecuteMode;
	webhookDescription: IWebhookDescription;
	path: string;
	webhookId?: string;
	/** The waiting execution's data, for a webhook that resumes one. */
	runExecutionData?: IRunExecutionData;
}

/**
 * The context n8n-core gives a node's webhook() for one request, and what the webhook sent
 * through Express's `json` (`sent.body`).
 */
export function webhookContext(
	req: Request,
	res: Response,
	request: { url: URL; body: unknown },
	call: WebhookCall,
): { context: WebhookContext; sent: { body?: unknown } } {
	const { data } = call;
	data.httpRequest = {
		body: request.body,
		query: Object.fromEntries(request.url.searchParams),
		headers: req.headers,
		params: {},
		method: req.method,
	} as never;
	const sent: { body?: unknown } = {};
	data.httpResponse = expressLike(res, sent) as never;
	const webhookData = {
		httpMethod: 'POST',
		node: call.node.name,
		path: call.path,
		webhookDescription: call.webhookDescription,
		workflowId: call.workflow.id,
		workflowExecuteAdditionalData: data,
		webhookId: call.webhookId,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		call.workflow,
		call.node,
		data,
		call.mode,
		webhookData,
		[],
		call.runExecutionData ?? null,
	);
	return { context, sent };
}

/** The part of Express's Response a node's webhook uses, over a real Node.js response. */
export function expressLike(res: Response, sent: { body?: unknown }) {
	const response = {
		status(code: number) {
			res.statusCode = code;
			return response;
		},
		setHeader(name: string, value: string) {
			res.setHeader(name, value);
			return response;
		},
		json(body: unknown) {
			sent.body = body;
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(body));
			return response;
		},
		send(body: string) {
			res.end(body);
			return response;
		},
		end() {
			res.end();
			return response;
		},
		get headersSent() {
			return res.headersSent;
		},
	};
	return response;
}

export async function readJson(req: Request): Promise<unknown> {
	const text = await readBody(req);
	try {
		return text ? JSON.parse(text) : {};
	} catch {
		return text;
	}
}
