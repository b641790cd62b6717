import { readBody, serve } from '../support/httpServer';

/**
 * A scripted stand-in for an OpenAI-compatible chat model: the OpenAI Chat Model node of a real
 * n8n talks to it through the credential's Base URL. It answers Chat Completions with what the
 * test's `reply` decides, and keeps every request for the test to examine.
 */

export interface ChatMessage {
	role: string;
	content?: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: ToolCall[];
	tool_call_id?: string;
}
export interface ToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}
export interface ToolDefinition {
	type: 'function';
	function: { name: string; description: string; parameters: JsonSchema };
}
export interface JsonSchema {
	type?: string;
	properties?: Record<string, { type?: string; description?: string }>;
	required?: string[];
}
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ToolDefinition[];
	stream?: boolean;
}
export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body?: ChatRequest;
}

/** What the model says next: call tools, or answer. */
export type ModelTurn = { toolCalls: Array<{ name: string; arguments: object }> } | { content: string };

export interface FakeOpenAi {
	/** The Base URL to put in n8n's OpenAI credential. */
	baseUrl: string;
	requests: RecordedRequest[];
	stop(): Promise<void>;
}

/** The text of a message, whether it came as a string or as content parts. */
export function textOf(message: ChatMessage): string {
	const { content } = message;
	if (typeof content === 'string') return content;
	return (content ?? []).map((part) => part.text ?? '').join('');
}

export async function startFakeOpenAi(reply: (request: ChatRequest) => ModelTurn): Promise<FakeOpenAi> {
	const requests: RecordedRequest[] = [];
	let calls = 0;
	const server = await serve(async (req, res) => {
		const path = (req.url ?? '').split('?')[0];
		const text = await readBody(req);
		const body = text ? (JSON.parse(text) as ChatRequest) : undefined;
		requests.push({ method: req.method ?? '', path, headers: req.headers, body });
		const send = (status: number, json: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json));
		};
		if (req.method === 'GET' && path === '/v1/models') {
			send(200, { object: 'list', data: [{ id: 'fake-model', object: 'model', owned_by: 'test' }] });
			return;
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions' || !body) {
			send(404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
			return;
		}
		let turn: ModelTurn;
		try {
			turn = reply(body);
		} catch (error) {
			// The script's own checks fail here; n8n shows the message as the model's error.
			send(400, {
				error: { message: `fake model: ${(error as Error).message}`, type: 'invalid_request_error' },
			});
			return;
		}
		calls++;
		const message =
			'content' in turn
				? { role: 'assistant', content: turn.content }
				: {
						role: 'assistant',
						content: null,
						tool_calls: turn.toolCalls.map((call, index) => ({
							id: `call_${calls}_${index}`,
							type: 'function',
							function: { name: call.name, arguments: JSON.stringify(call.arguments) },
						})),
					};
		send(200, {
			id: `chatcmpl-${calls}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [
				{ index: 0, message, finish_reason: 'content' in turn ? 'stop' : 'tool_calls', logprobs: null },
			],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		});
	});
	return { baseUrl: `${server.url}/v1`, requests, stop: server.stop };
}
