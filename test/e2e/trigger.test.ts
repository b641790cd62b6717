/**
 * Fire and forget, then react, in a real n8n server: the Kirin node creates tasks with the
 * production URL of an active Kirin Trigger workflow as callback; the simulator's callbacks
 * reach n8n; each finished task starts exactly one verified run. Forged callbacks start none.
 */
import { sleep } from 'n8n-workflow';

import {
	apiTask,
	CALLBACK_SECRET,
	type E2eStack,
	everythingSaid,
	output,
	readExample,
	SIMULATOR_KEY,
	startStack,
} from './stack';

let stack: E2eStack;
let triggerWorkflowId: string;
let productionUrl: string;

beforeAll(async () => {
	stack = await startStack({ simulator: { queuedMs: 300, generationMs: 1500 } });
	const trigger = readExample('fire-and-forget-trigger.json', stack);
	const created = await stack.importWorkflow(trigger, { activate: true });
	triggerWorkflowId = created.id;
	productionUrl = stack.triggerUrl(trigger.nodes.find((node) => node.name === 'Kirin Trigger')!);
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

async function postCallback(url: string, body: unknown): Promise<{ status: number; text: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, text: await response.text() };
}

describe('Kirin Trigger in a real n8n server', () => {
	it('rejects forged callbacks and wrong tokens, and n8n records no execution for them', async () => {
		const withToken = `${productionUrl}?token=${encodeURIComponent(CALLBACK_SECRET)}`;
		const unknown = await postCallback(withToken, { id: 'task_does_not_exist', status: 'succeed' });
		expect(unknown.status).toBe(403);

		// A task the API knows, still processing: a callback claiming it completed is a forgery.
		const taskId = await stack.createTaskAtApi('processing');
		const claimed = {
			id: taskId,
			status: 'succeed',
			output: [{ content: [{ type: 'video', url: 'https://evil.example/x.mp4' }] }],
		};
		const mismatch = await postCallback(withToken, claimed);
		expect(mismatch.status).toBe(409);

		const wrongToken = await postCallback(`${productionUrl}?token=not-the-secret`, claimed);
		expect(wrongToken.status).toBe(401);
		const noToken = await postCallback(productionUrl, claimed);
		expect(noToken.status).toBe(401);

		for (const answer of [unknown, mismatch, wrongToken, noToken]) {
			expect(answer.text).not.toContain(SIMULATOR_KEY);
			expect(answer.text).not.toContain(CALLBACK_SECRET);
		}
		// The next test waits for the real runs; any run these had started would be counted there.
	});

	it('starts exactly one verified run per finished task from the simulator callbacks', async () => {
		const before = stack.simulator.tasks().length;
		const deliveredBefore = stack.simulator.callbacks.length;
		const createWorkflow = await stack.importWorkflow(readExample('fire-and-forget-create.json', stack));
		const creation = await stack.finished(await stack.run(createWorkflow.id, 'Start'));
		expect(creation.status).toBe('success');
		const created = output(creation, 'Kirin');
		expect(created).toHaveLength(2);
		expect(stack.simulator.tasks().length - before).toBe(2);
		// The node did not wait: the tasks went out queued, with our token on the callback URL.
		for (const item of created) {
			expect(item.json.status).toBe('queued');
			const callbackUrl = String(stack.simulator.getParams(String(item.json.id))?.callback_url);
			expect(callbackUrl).toBe(`${productionUrl}?token=${CALLBACK_SECRET}`);
		}

		const ids = created.map((item) => String(item.json.id));
		// queued, processing, completed for each task.
		await stack.simulator.waitForCallbacks(deliveredBefore + 6);
		const deliveries = stack.simulator.callbacks.filter((d) => ids.includes(d.taskId));
		expect(deliveries.filter((d) => d.httpStatus !== 200)).toEqual([]);

		const runs = await waitForExecutions(triggerWorkflowId, 2);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
		const items = await Promise.all(
			runs.map(async (run) => output(await stack.execution(run.id), 'Kirin Trigger')[0]),
		);
		expect(items.map((item) => item.json.id).sort()).toEqual([...ids].sort());
		for (const item of items) {
			const task = apiTask(stack, item.json.id);
			expect(item.json).toMatchObject({
				status: 'completed',
				rawStatus: task.status,
				videoUrl: task.output[0].content[0].url,
				externalTaskId: task.external_task_id,
			});
			const video = await stack.binary(item.binary!.video);
			expect(video.equals(stack.simulator.expectedVideo(task.id))).toBe(true);
		}

		// A repeated delivery of a completed callback is answered but starts nothing. Both tasks
		// completed at the same moment, so n8n handled their callbacks concurrently.
		for (const id of ids) {
			const repeat = await postCallback(
				`${productionUrl}?token=${CALLBACK_SECRET}`,
				stack.simulator.getTask(id),
			);
			expect({ status: repeat.status, body: JSON.parse(repeat.text) }).toEqual({
				status: 200,
				body: { ok: true, started: false, reason: 'already delivered' },
			});
		}

		const said = everythingSaid(stack, runs, items);
		expect(said).not.toContain(SIMULATOR_KEY);
	});

	it('still runs a Kirin Trigger saved at type version 1 (before 1.1), on the same callbacks', async () => {
		const trigger = readExample('fire-and-forget-trigger.json', stack);
		const node = trigger.nodes.find((entry) => entry.name === 'Kirin Trigger')! as {
			typeVersion?: number;
			webhookId?: string;
		};
		node.typeVersion = 1;
		node.webhookId = 'c0ffee00-0000-4000-8000-000000000001';
		const created = await stack.importWorkflow(trigger, { activate: true });
		const taskId = await stack.createTaskAtApi('completed');
		const answer = await postCallback(
			`${stack.triggerUrl(node)}?token=${CALLBACK_SECRET}`,
			stack.simulator.getTask(taskId),
		);
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ ok: true, started: true, taskId });
		const [run] = await waitForExecutions(created.id, 1);
		expect(run.status).toBe('success');
		expect(output(await stack.execution(run.id), 'Kirin Trigger')[0].json).toMatchObject({
			id: taskId,
			status: 'completed',
		});
	});
});

/** Waits until the workflow has `count` finished executions, oldest first. */
// n8n has no event for "execution saved" that reaches a test, so this asks every 250 ms.
async function waitForExecutions(workflowId: string, count: number) {
	const until = Date.now() + 60_000;
	for (;;) {
		const list = await stack.executions(workflowId);
		const ended = list.every((run) => !['new', 'running', 'waiting'].includes(run.status));
		if (list.length >= count && ended) return list.sort((a, b) => Number(a.id) - Number(b.id));
		if (Date.now() > until) throw new Error(`expected ${count} executions, saw ${JSON.stringify(list)}`);
		await sleep(250);
	}
}
