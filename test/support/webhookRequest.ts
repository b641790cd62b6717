import { readBody, type Request, type Response } from './httpServer';

/** What n8n's webhook server hands a node's webhook(), over a real Node.js request and response. */

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
