/**
 * The ways users run the Kirin node, in a real n8n server: Create inside Loop Over Items, a
 * second execution after one of three generations failed, a video that redirects to another
 * origin, a failed generation on the error output, and a webhook delivered twice at once.
 */
import { sleep } from 'n8n-workflow';

import { type E2eStack, everythingSaid, output, SIMULATOR_KEY, startStack, type Workflow } from './stack';

let stack: E2eStack;

beforeAll(async () => {
	stack = await startStack({ simulator: { queuedMs: 200, generationMs: 1500, videoBytes: 512 * 1024 } });
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

const FAST = { pollFirstSeconds: 0.5, pollMaxSeconds: 1 };
let nodeCount = 0;

function node(
	name: string,
	type: string,
	typeVersion: number,
	parameters: Record<string, unknown>,
	extra = {},
) {
	nodeCount += 1;
	return {
		id: `e2e-${nodeCount}`,
		name,
		type,
		typeVersion,
		position: [nodeCount * 200, 0],
		parameters,
		...extra,
	};
}

/** Manual trigger → one item per row of `rows` (a Set node and Split Out, as users build it). */
function rowsOf(rows: Array<Record<string, string>>) {
	return [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('Rows', 'n8n-nodes-base.set', 3.4, {
			assignments: {
				assignments: [{ id: 'rows', name: 'rows', type: 'array', value: `={{ ${JSON.stringify(rows)} }}` }],
			},
			options: {},
		}),
		node('One Item per Row', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }),
	];
}

function kirin(parameters: Record<string, unknown>, extra = {}) {
	return node(
		'Kirin',
		'n8n-nodes-kirin.kirin',
		1,
		{
			operation: 'create',
			imageSource: 'url',
			imageUrl: '={{ $json.url }}',
			prompt: '={{ $json.prompt }}',
			duration: '5',
			...parameters,
			options: FAST,
		},
		{ credentials: { kirinApi: stack.credential }, ...extra },
	);
}

function chain(...names: string[]) {
	return Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]),
	);
}

function photo(name: string) {
	return `${stack.simulatorUrl}/samples/${name}-1080x1080.png`;
}

async function runToEnd(workflow: Workflow) {
	const saved = await stack.importWorkflow(workflow);
	return { saved, execution: await stack.finished(await stack.run(saved.id, 'Start')) };
}

describe('execution patterns in a real n8n', () => {
	it('Loop Over Items: each pass creates its own task with its own prompt', async () => {
		const before = stack.simulator.tasks().length;
		const nodes = [
			...rowsOf([
				{ prompt: 'alpha', url: photo('shoe') },
				{ prompt: 'beta', url: photo('lamp') },
			]),
			node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, { batchSize: 1, options: {} }),
			kirin({}),
		];
		const connections = {
			...chain('Start', 'Rows', 'One Item per Row', 'Loop Over Items'),
			'Loop Over Items': { main: [[], [{ node: 'Kirin', type: 'main', index: 0 }]] },
			Kirin: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
		};
		const { execution } = await runToEnd({ name: 'Loop Over Items', nodes, connections } as Workflow);

		expect(execution.status).toBe('success');
		type Run = { data: { main: Array<Array<{ json: { id: string } }>> } };
		const runs = (execution.data.resultData.runData as Record<string, Run[]>).Kirin;
		expect(runs).toHaveLength(2);
		const tasks = runs.map((run) => run.data.main[0][0].json);
		expect(new Set(tasks.map((task) => task.id)).size).toBe(2);
		expect(tasks.map((task) => stack.simulator.getParams(task.id)?.prompt)).toEqual(['alpha', 'beta']);
		expect(stack.simulator.tasks().length - before).toBe(2);
	});

	it('a second execution after one of three generations failed buys only that one: 4 tasks, not 6', async () => {
		const before = stack.simulator.tasks().length;
		const nodes = [
			...rowsOf([
				{ prompt: 'first', url: photo('shoe') },
				{ prompt: 'second #flaky', url: photo('lamp') },
				{ prompt: 'third', url: photo('bag') },
			]),
			kirin({ waitForCompletion: true, timeLimitMinutes: 2, download: false }),
		];
		const saved = await stack.importWorkflow({
			name: 'Three videos',
			nodes,
			connections: chain('Start', 'Rows', 'One Item per Row', 'Kirin'),
		} as Workflow);

		const first = await stack.finished(await stack.run(saved.id, 'Start'));
		expect(first.status).toBe('error');
		// The node's error names every task, so the two finished videos are not lost.
		expect(first.data.resultData.error?.message).toMatch(
			/Tasks: item 0 \S+ completed; item 1 \S+ failed; item 2 \S+ completed\.$/,
		);

		const second = await stack.finished(await stack.run(saved.id, 'Start'));
		expect(second.status).toBe('success');
		const items = output(second, 'Kirin');
		expect(items.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		expect(items.map((item) => stack.simulator.getParams(String(item.json.id))?.prompt)).toEqual([
			'first',
			'second #flaky',
			'third',
		]);
		expect(stack.simulator.tasks().length - before).toBe(4);
	});

	it('a video that redirects to another origin is downloaded, and that origin never sees the key', async () => {
		stack.simulator.setRedirectVideosTo('localhost');
		try {
			const nodes = [
				...rowsOf([{ prompt: 'redirected', url: photo('shoe') }]),
				kirin({
					waitForCompletion: true,
					timeLimitMinutes: 2,
					download: true,
					binaryPropertyOutput: 'video',
				}),
			];
			const { execution } = await runToEnd({
				name: 'Redirected video',
				nodes,
				connections: chain('Start', 'Rows', 'One Item per Row', 'Kirin'),
			} as Workflow);

			expect(execution.status).toBe('success');
			const [item] = output(execution, 'Kirin');
			const stored = await stack.binary(item.binary!.video);
			expect(stored.equals(stack.simulator.expectedVideo(String(item.json.id)))).toBe(true);
			const cdn = stack.simulator.requestLog.filter(
				(entry) => entry.path === `/cdn/${String(item.json.id)}.mp4`,
			);
			expect(cdn).toHaveLength(1);
			expect(cdn[0]).toMatchObject({ host: expect.stringMatching(/^localhost:/), withAuthorization: false });
			expect(everythingSaid(stack, execution)).not.toContain(SIMULATOR_KEY);
		} finally {
			stack.simulator.setRedirectVideosTo(undefined);
		}
	});

	it('a webhook delivered twice at once: one task, and both executions succeed with it', async () => {
		const before = stack.simulator.tasks().length;
		const path = 'kirin-twice-at-once';
		const webhook = node('Webhook', 'n8n-nodes-base.webhook', 2, {
			httpMethod: 'POST',
			path,
			responseMode: 'onReceived',
			options: {},
		});
		const saved = await stack.importWorkflow(
			{
				name: 'Twice at once',
				nodes: [
					{ ...webhook, webhookId: '7f6c1c6e-2c41-4a8e-9b0e-2f1d5c3a9e01' },
					kirin({
						imageUrl: '={{ $json.body.url }}',
						prompt: '={{ $json.body.prompt }}',
						waitForCompletion: true,
						timeLimitMinutes: 2,
						download: false,
					}),
				],
				connections: chain('Webhook', 'Kirin'),
			} as Workflow,
			{ activate: true },
		);
		// A slow create (a second before Kirin records it): the second delivery arrives meanwhile.
		stack.simulator.injectFault('create', { kind: 'delay', ms: 1000 });
		const body = JSON.stringify({ prompt: 'delivered twice', url: photo('shoe') });
		const deliveries = await Promise.all(
			[1, 2].map(
				async () =>
					await fetch(`${stack.n8nUrl}/webhook/${path}`, {
						method: 'POST',
						body,
						headers: { 'content-type': 'application/json' },
					}),
			),
		);
		expect(deliveries.map((response) => response.status)).toEqual([200, 200]);

		// Both executions are listed once n8n has started them; each is then awaited to its end.
		let runs = await stack.executions(saved.id);
		for (const deadline = Date.now() + 30_000; runs.length < 2 && Date.now() < deadline; ) {
			await sleep(200);
			runs = await stack.executions(saved.id);
		}
		const ended = await Promise.all(runs.map(async (run) => await stack.finished(run.id)));
		expect(ended.map((execution) => execution.status)).toEqual(['success', 'success']);
		const ids = ended.map((execution) => String(output(execution, 'Kirin')[0].json.id));
		expect(ids[0]).toBe(ids[1]);
		expect(output(ended[0], 'Kirin')[0].json.status).toBe('completed');
		expect(stack.simulator.tasks().length - before).toBe(1);
	});

	it('a failed generation reaches the error output; the other item goes on', async () => {
		const nodes = [
			...rowsOf([
				{ prompt: 'fine', url: photo('shoe') },
				{ prompt: 'broken #fail', url: photo('lamp') },
			]),
			kirin(
				{ waitForCompletion: true, timeLimitMinutes: 2, download: false },
				{ onError: 'continueErrorOutput' },
			),
			node('Videos', 'n8n-nodes-base.noOp', 1, {}),
			node('Failed Videos', 'n8n-nodes-base.noOp', 1, {}),
		];
		const connections = {
			...chain('Start', 'Rows', 'One Item per Row', 'Kirin'),
			Kirin: {
				main: [
					[{ node: 'Videos', type: 'main', index: 0 }],
					[{ node: 'Failed Videos', type: 'main', index: 0 }],
				],
			},
		};
		const { execution } = await runToEnd({ name: 'Error output', nodes, connections } as Workflow);

		expect(execution.status).toBe('success');
		const good = output(execution, 'Videos');
		const failed = output(execution, 'Failed Videos');
		expect(good.map((item) => item.json.status)).toEqual(['completed']);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toMatchObject({
			prompt: 'broken #fail',
			error: expect.stringMatching(/\(task \S+\) \[item 1, code 8002009098\]/),
			message: expect.stringMatching(/^Run it again/),
		});
	});
});
