import { NodeApiError } from 'n8n-workflow';

import { ERROR_CODES } from '../../../../nodes/shared/api/errorCodes';
import {
	taskFailedError,
	toNodeError,
	videoLinkError,
	type FailureContext,
} from '../../../../nodes/shared/api/errors';
import { KIRIN_NODE } from '../../../support/testNodes';

const node = KIRIN_NODE;
const KEY = 'sk-live-very-secret-key';
const context: FailureContext = {
	itemIndex: 3,
	attempts: 1,
	timeoutMs: 60_000,
	baseUrl: 'https://cloud.vtrix.ai',
	redact: (text) => text.split(KEY).join('[redacted]'),
};

describe('the error-code table', () => {
	it('covers every code of the seed with a class, what happened and what to do', () => {
		expect(Object.keys(ERROR_CODES).map(Number).sort()).toEqual([
			8002009001, 8002009002, 8002009003, 8002009004, 8002009005, 8002009006, 8002009098, 8002009099,
		]);
		for (const info of Object.values(ERROR_CODES)) {
			expect(info.happened).toMatch(/^Kirin[^:.]*[^.]$/);
			expect(info.todo).toMatch(/^[A-Z].*\.$/);
		}
	});

	it.each([
		[8002009003, 400, 'prompt length'],
		[8002009006, 401, 'API key'],
		[8002009099, 503, 'unavailable'],
	])('turns code %p into a message with the item index and the code', (code, status, words) => {
		const error = toNodeError(
			node,
			{ kind: 'http-error', status, body: { code, message: 'x' }, retryAfterMs: null },
			context,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain(words);
		expect(error.message).toContain(`[item 3, code ${code}]`);
	});
});

describe('toNodeError', () => {
	it('treats a bare 401 as a key problem', () => {
		const error = toNodeError(
			node,
			{ kind: 'http-error', status: 401, body: undefined, retryAfterMs: null },
			context,
		);
		expect(error.message).toBe('Kirin rejected the API key [item 3]');
		expect(error.description).toBe(ERROR_CODES[8002009006].todo);
	});

	it('names the task on 404', () => {
		const error = toNodeError(
			node,
			{ kind: 'http-error', status: 404, body: { code: 404, message: 'task not found' }, retryAfterMs: null },
			{ ...context, taskRef: 'task_9' },
		);
		expect(error.message).toContain('no task with ID "task_9"');
	});

	it('says how many retries a 5xx survived', () => {
		const error = toNodeError(
			node,
			{ kind: 'http-error', status: 503, body: undefined, retryAfterMs: null },
			{ ...context, attempts: 5 },
		);
		expect(error.message).toContain('HTTP 503) and still did after 4 retries');
	});

	it.each([
		['timeout', 'did not answer within 60 s'],
		['refused', 'Could not reach Kirin at https://cloud.vtrix.ai'],
		['reset', 'connection to Kirin broke off'],
	] as const)('explains a network %p', (reason, words) => {
		expect(toNodeError(node, { kind: 'network', reason }, context).message).toContain(words);
	});

	it('never repeats the API key, even when the API echoes it', () => {
		const error = toNodeError(
			node,
			{
				kind: 'http-error',
				status: 400,
				body: { message: `bad header Bearer ${KEY}` },
				retryAfterMs: null,
			},
			context,
		);
		expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(KEY);
		expect(error.description).toContain('[redacted]');
	});

	it('puts what happened in the message and what to do in the description', () => {
		const error = toNodeError(
			node,
			{ kind: 'http-error', status: 422, body: { message: 'unknown field cfg' }, retryAfterMs: null },
			context,
		);
		expect(error.message).toBe('Kirin rejected the request (HTTP 422) [item 3]');
		expect(error.description).toBe(
			"Check the node's fields and Options → Additional Parameters against what Kirin said. Kirin said: unknown field cfg",
		);
	});
});

describe('taskFailedError', () => {
	it('uses the table for a failed generation', () => {
		const error = taskFailedError(
			node,
			{ id: 't1', status: 'failed', errorCode: 8002009098, errorMessage: 'generation process failed' },
			0,
			(text) => text,
		);
		expect(error.message).toBe('Kirin could not generate this video (task t1) [item 0, code 8002009098]');
		expect(error.description).toBe(
			'Run it again, or try another image or prompt. Kirin said: generation process failed',
		);
	});
});

describe('videoLinkError', () => {
	const refused = (status: number) =>
		({ kind: 'http-error', status, body: undefined, retryAfterMs: null }) as const;

	it.each([401, 403, 404, 410])(
		'says the link of the task failed (HTTP %i), names the host without the signed query, never the key',
		(status) => {
			const error = videoLinkError(node, refused(status), {
				itemIndex: 2,
				taskId: 'task_9',
				answeredBy: 'https://storage.example.com/v/task_9.mp4?X-Amz-Signature=abc123',
				freshLink: true,
				redact: context.redact,
			});
			expect(error.message).toBe(
				`The video link of Kirin task task_9 failed: it has expired or was refused (https://storage.example.com answered HTTP ${status}) [item 2]`,
			);
			expect(error.description).toMatch(
				/^The node asked Kirin for the task again and its new link failed too\./,
			);
			expect(`${error.message} ${error.description}`).not.toMatch(/API key|no task|abc123/);
			expect(error.httpCode).toBe(String(status));
		},
	);
});
