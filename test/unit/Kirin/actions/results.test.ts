import { NodeApiError, type IExecuteFunctions } from 'n8n-workflow';

import { failed, toOutputItems, type ItemResult } from '../../../../nodes/Kirin/actions/results';
import { createOutcomeUnknownError } from '../../../../nodes/shared/api/createErrors';
import { parseTask } from '../../../../nodes/shared/api/parse';
import { KIRIN_NODE } from '../../../support/testNodes';

const node = KIRIN_NODE;

/** Just what toOutputItems asks of n8n: the node, and whether it continues on fail. */
function ctx(continueOnFail: boolean): IExecuteFunctions {
	return { getNode: () => node, continueOnFail: () => continueOnFail } as unknown as IExecuteFunctions;
}

function task(index: number, status: string) {
	const parsed = parseTask({ id: `task-${index}`, status, created_at: '2026-12-01T00:00:00Z' });
	if (!parsed) throw new Error('the test task does not parse');
	return parsed;
}

function stopErrorOf(results: ItemResult[]): NodeApiError {
	try {
		toOutputItems(ctx(false), results, 'data');
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('the node did not stop');
}

describe('the error that stops the node names every item that may have been paid for', () => {
	const generationFailed = new NodeApiError(
		node,
		{},
		{ message: 'Kirin could not generate this video [item 0]' },
	);

	it('names a short batch in the message, with a create whose outcome is unknown by its external task ID', () => {
		const unknown = createOutcomeUnknownError(
			node,
			{ kind: 'network', reason: 'timeout' },
			{ itemIndex: 2, externalTaskId: 'kirin-abc', timeoutMs: 60_000 },
		);
		const error = stopErrorOf([
			failed(ctx(false), generationFailed, task(0, 'failed')),
			{ ok: true, task: task(1, 'completed') },
			failed(ctx(false), unknown),
		]);
		expect(error.message).toBe(
			'Kirin could not generate this video [item 0] Tasks: item 0 task-0 failed; item 1 task-1 completed; item 2 outcome unknown (external task ID kirin-abc).',
		);
	});

	it('names the first 20 in the message and all of them in the description', () => {
		const results: ItemResult[] = [failed(ctx(false), generationFailed, task(0, 'failed'))];
		for (let index = 1; index < 30; index++) results.push({ ok: true, task: task(index, 'completed') });
		const error = stopErrorOf(results);
		expect(error.message).toMatch(/item 19 task-19 completed; and 10 more \(all in the details\)\.$/);
		expect(error.message).not.toContain('task-20');
		for (let index = 0; index < 30; index++)
			expect(error.description).toContain(`item ${index} task-${index} `);
	});

	it('leaves the items to their outputs under Continue', () => {
		const items = toOutputItems(
			ctx(true),
			[failed(ctx(true), generationFailed, task(0, 'failed')), { ok: true, task: task(1, 'completed') }],
			'data',
		);
		expect(items.map((item) => item.json.id)).toEqual(['task-0', 'task-1']);
	});
});
