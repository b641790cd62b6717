/** Answers are read up to this size; a larger body (a 50 MB error page) is cut, not buffered whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyStream = AsyncIterable<Buffer> & { destroy?: () => void };

/** Reads a streamed body up to `limit` bytes, then drops the rest. */
export async function readCapped(stream: BodyStream, limit = MAX_BODY_BYTES): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		chunks.push(chunk);
		size += chunk.length;
		if (size >= limit) {
			stream.destroy?.();
			break;
		}
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** JSON, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
