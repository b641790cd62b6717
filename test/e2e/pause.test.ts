/**
 * Create → Wait for Completion → "Pause Until Kirin Calls Back" in a real n8n server: the
 * execution waits (stored, no worker held) during generation, survives an n8n restart, refuses
 * forged or unsigned resume calls, and resumes with the API's task and video when the
 * simulator's completed callback arrives.
 */
import { sleep } from 'n8n-workflow';

import {
	apiTask,
	type E2eStack,
	type Item,
	everythingSaid,
	N8N_MAJOR,
	output,
	readExample,
	SIMULATOR_KEY,
	startStack,
} from './stack';

let stack: E2eStack;

beforeAll(async () => {
	// Generation "never" ends on its own: the test completes the task when it is ready to.
	stack = await startStack({
		simulator: { queuedMs: 300, generationMs: 10 * 60_000, videoBytes: 2 * 1024 * 1024 },
	});
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

async function statusOf(executionId: string): Promise<string> {
	return (await stack.execution(executionId)).status;
}

// n8n has no event a test can await for "execution is now waiting"; ask every 250 ms.
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}

async function post(url: string, body: unknown) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return {
		status: response.status,
		retryAfter: response.headers.get('retry-after'),
		text: await response.text(),
	};
}

it('waits without a worker, survives a restart, rejects forgeries, and resumes on the real callback', async () => {
	const workflow = await stack.importWorkflow(readExample('pause-until-callback.json', stack));
	const executionId = await stack.run(workflow.id, 'Start');
	await until(
		async () => (await statusOf(executionId).catch(() => 'new')) === 'waiting',
		'the execution to wait',
	);

	const [task] = stack.simulator.tasks().slice(-1);
	const callbackUrl = new URL(String(stack.simulator.getParams(task.id)?.callback_url));
	expect(callbackUrl.origin + callbackUrl.pathname).toBe(`${stack.n8nUrl}/webhook-waiting/${executionId}`);
	expect(callbackUrl.searchParams.get('x')).toBe(task.external_task_id);

	// The simulator's own "processing" callback reached n8n and left the execution waiting.
	await until(
		async () => stack.simulator.callbacks.some((d) => d.taskId === task.id && d.status === 'in_progress'),
		'the processing callback',
	);
	expect(stack.simulator.callbacks.find((d) => d.status === 'in_progress')?.httpStatus).toBe(200);

	const forgedBody = {
		...stack.simulator.getTask(task.id),
		status: 'succeed',
		output: [{ content: [{ type: 'video', url: 'https://evil.example/x.mp4' }] }],
	};
	if (N8N_MAJOR >= 2) {
		const withoutN8nToken = new URL(callbackUrl);
		withoutN8nToken.searchParams.delete('signature');
		expect((await post(withoutN8nToken.toString(), forgedBody)).status).toBe(401);
	} else {
		// n8n 1.x puts no token of its own on `$execution.resumeUrl` (it signs only the URLs of
		// its "send and wait" operations), so our signed `k`, checked next, is the only guard.
		expect(callbackUrl.searchParams.has('signature')).toBe(false);
	}
	const withoutOurToken = new URL(callbackUrl);
	withoutOurToken.searchParams.delete('k');
	expect((await post(withoutOurToken.toString(), forgedBody)).status).toBe(401);
	// Properly signed, but the API says the task is still processing: not resumed, and answered
	// so that a sender that retries calls again (the API may record an end after calling back).
	const claimed = await post(callbackUrl.toString(), forgedBody);
	expect({ status: claimed.status, body: JSON.parse(claimed.text) }).toEqual({
		status: 503,
		body: { ok: false, reason: 'Kirin does not confirm this final status yet' },
	});
	expect(claimed.retryAfter).toBe('10');
	expect(await statusOf(executionId)).toBe('waiting');

	await stack.restartN8n();
	expect(await statusOf(executionId)).toBe('waiting');

	stack.simulator.setTaskStatus(task.id, 'completed');
	await until(
		async () => !['waiting', 'running', 'new'].includes(await statusOf(executionId)),
		'the execution to resume',
	);
	const execution = await stack.finished(executionId);
	expect(execution.status).toBe('success');
	const completed = stack.simulator.callbacks.find((d) => d.taskId === task.id && d.status === 'succeed');
	expect(completed?.httpStatus).toBe(200);

	const [item, ...rest] = output(execution, 'Kirin');
	expect(rest).toHaveLength(0);
	const apiView = apiTask(stack, task.id);
	expect(item.json).toMatchObject({
		id: task.id,
		status: 'completed',
		externalTaskId: apiView.external_task_id,
		videoUrl: apiView.output[0].content[0].url,
	});
	const video = await stack.binary(item.binary!.video);
	expect(video.equals(stack.simulator.expectedVideo(task.id))).toBe(true);
	expect(stack.simulator.counters.tasksCreated).toBe(1);
	expect(everythingSaid(stack, execution)).not.toContain(SIMULATOR_KEY);
}, 300_000);

it('on time-out passes its input on, and a Get Status by External Task ID picks the task up', async () => {
	const example = readExample('pause-until-callback.json', stack);
	const kirin = example.nodes.find((node) => node.name === 'Kirin')!;
	// n8n's wait tracker looks for due executions about once a minute, so even a 3 s limit
	// resumes within about 60 s.
	kirin.parameters = { ...kirin.parameters, timeLimitMinutes: 0.05 };
	const lookUp = {
		id: 'pause-lookup',
		name: 'Get Status',
		type: 'n8n-nodes-kirin.kirin',
		typeVersion: 1,
		position: [660, 0],
		parameters: {
			operation: 'getStatus',
			lookUpBy: 'externalTaskId',
			externalTaskId:
				kirin.parameters.options && (kirin.parameters.options as Record<string, string>).externalTaskId,
			options: {},
		},
		credentials: { kirinApi: { id: 'x', name: 'Kirin API' } },
	};
	const workflow = await stack.importWorkflow({
		...example,
		name: 'Pause with a time-out, then Get Status',
		nodes: [...example.nodes, lookUp],
		connections: {
			...example.connections,
			Kirin: { main: [[{ node: 'Get Status', type: 'main', index: 0 }]] },
		},
	});
	const executionId = await stack.run(workflow.id, 'Start');
	const execution = await stack.finished(executionId, 150_000);
	expect(execution.status).toBe('success');

	// n8n resumed the paused node by passing its input (the photo) through…
	const [passedOn] = output(execution, 'Kirin');
	expect(passedOn.binary?.data?.mimeType).toBe('image/png');
	expect(passedOn.json.id).toBeUndefined();
	// …and the task, still being generated, is found by the ID the workflow chose.
	const [found] = output(execution, 'Get Status');
	const task = apiTask(stack, found.json.id);
	expect(found.json).toMatchObject({ status: 'processing', externalTaskId: task.external_task_id });
	expect(String(found.json.externalTaskId)).toBe(`photo-${executionId}-0`);
}, 200_000);

/** The example workflow with this prompt, its Kirin node's On Error set as given. */
async function importPausing(name: string, prompt: string, onError?: string) {
	const example = readExample('pause-until-callback.json', stack);
	const kirin = example.nodes.find((node) => node.name === 'Kirin')!;
	kirin.parameters = { ...kirin.parameters, prompt, download: false };
	if (onError) Object.assign(kirin, { onError });
	return await stack.importWorkflow({ ...example, name });
}

it('a task refused right after its create ends the execution with its error at once: none left waiting', async () => {
	// "#refused": the simulator fails the task as soon as its create has been answered, so its
	// callback reaches n8n while the execution still runs (n8n 2.41.1 answers it 500, not our webhook).
	const workflow = await importPausing('Pause, refused at once', 'A product turntable #refused');
	const leftWaiting: string[] = [];
	for (let attempt = 0; attempt < 5; attempt++) {
		const executionId = await stack.run(workflow.id, 'Start');
		const task = await stack.simulator.waitFor((t) => t.external_task_id === `photo-${executionId}-0`);
		await until(
			async () => stack.simulator.callbacks.some((d) => d.taskId === task.id && d.status === 'failed'),
			'the failed callback',
		);
		await until(
			async () => !['new', 'running'].includes(await statusOf(executionId)),
			'the execution to stop',
		);
		if ((await statusOf(executionId)) === 'waiting') {
			leftWaiting.push(executionId);
			continue;
		}
		const execution = await stack.finished(executionId);
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error?.message).toContain(task.id);
	}
	expect(leftWaiting).toEqual([]);
}, 200_000);

it('a generation that fails while paused goes to the error output with Continue (using error output)', async () => {
	const workflow = await importPausing('Pause, fails later', 'A product turntable', 'continueErrorOutput');
	const executionId = await stack.run(workflow.id, 'Start');
	await until(
		async () => (await statusOf(executionId).catch(() => 'new')) === 'waiting',
		'the execution to wait',
	);
	const task = await stack.simulator.waitFor((t) => t.external_task_id === `photo-${executionId}-0`);
	stack.simulator.setTaskStatus(task.id, 'failed');
	await until(async () => !['waiting', 'running', 'new'].includes(await statusOf(executionId)), 'the resume');
	const execution = await stack.finished(executionId);
	expect(execution.status).toBe('success');
	const runs = execution.data.resultData.runData.Kirin as Array<{ data: { main: Item[][] } }>;
	const [regular, errors] = runs[0].data.main;
	expect(regular ?? []).toHaveLength(0);
	expect(errors).toHaveLength(1);
	expect(String(errors[0].json.error)).toContain(task.id);
}, 200_000);
