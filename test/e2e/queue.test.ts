/**
 * Queue mode, as users scale out: PostgreSQL, Redis, n8n main, two workers (--concurrency=1 each:
 * two slots in all) and one webhook processor, all with this package. Twenty executions of Create
 * with "Pause Until Kirin Calls Back" (60 s generation) wait without holding the workers' two
 * slots, an unrelated workflow meanwhile runs at once on a worker, and Kirin's callbacks (to the
 * webhook processor) resume all twenty. The Kirin Trigger works there too. And the same workflow
 * started twice at once runs on both workers, against an API that refuses a taken external task
 * ID: one task, both executions succeed with it.
 */
import { sleep } from 'n8n-workflow';

import * as queueStackModule from '../../scripts/lib/queueStack';
import { type E2eStack, output, readExample } from './stack';
import { printFigure } from '../support/figures';

const startQueueStack = queueStackModule.startQueueStack as unknown as (
	options: Record<string, unknown>,
) => Promise<{
	stack: E2eStack;
	webhookUrl: string;
	logs: Record<string, string[]>;
	stop: () => Promise<void>;
}>;

const EXECUTIONS = 20;
const GENERATION_MS = 60_000;

let queue: Awaited<ReturnType<typeof startQueueStack>>;
let stack: E2eStack;

beforeAll(async () => {
	queue = await startQueueStack({
		simulator: { queuedMs: 1000, generationMs: GENERATION_MS - 1000, videoBytes: 256 * 1024 },
		workers: 2,
		workerConcurrency: 1,
	});
	stack = queue.stack;
}, 300_000);

afterAll(async () => {
	await queue?.stop();
});

function webhookWorkflow(
	name: string,
	path: string,
	after: Array<Record<string, unknown>>,
	connections: Record<string, unknown>,
) {
	return {
		name,
		nodes: [
			{
				id: `${path}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-0000-4000-8000-000000000000`.slice(0, 36),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			...after,
		],
		connections,
	};
}

/** Webhook → the image-to-video example's photo download and Kirin node, set to pause. */
function pausingWorkflow() {
	const example = readExample('pause-until-callback.json', {
		simulatorUrl: stack.simulatorUrl,
		n8nUrl: queue.webhookUrl,
	});
	const photo = example.nodes.find((node) => node.name === 'Download Product Photo')!;
	const kirin = example.nodes.find((node) => node.name === 'Kirin')!;
	// Twenty executions over the same photo and prompt would be one video (the derived external
	// task ID is the same): Always Create New Videos puts the execution into it, one task each.
	kirin.parameters = { ...kirin.parameters, options: { alwaysCreateNew: true }, timeLimitMinutes: 10 };
	return webhookWorkflow('Queue: create and pause', 'kirin-queue-create', [photo, kirin], {
		Webhook: { main: [[{ node: photo.name, type: 'main', index: 0 }]] },
		[photo.name]: { main: [[{ node: 'Kirin', type: 'main', index: 0 }]] },
	});
}

async function until<T>(
	check: () => Promise<T | undefined | false>,
	what: string,
	timeoutMs = 180_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(200);
	}
}

const hook = async (path: string) => {
	const response = await fetch(`${queue.webhookUrl}/webhook/${path}`, {
		method: 'POST',
		body: '{}',
		headers: { 'content-type': 'application/json' },
	});
	expect(response.status).toBe(200);
};

it(`${EXECUTIONS} paused executions free the worker and all resume from Kirin's callbacks`, async () => {
	const pausing = await stack.importWorkflow(pausingWorkflow() as never, { activate: true });
	const ping = await stack.importWorkflow(
		webhookWorkflow(
			'Queue: unrelated small workflow',
			'kirin-queue-ping',
			[
				{
					id: 'ping-noop',
					name: 'Done',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [200, 0],
					parameters: {},
				},
			],
			{ Webhook: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		) as never,
		{ activate: true },
	);

	for (let index = 0; index < EXECUTIONS; index++) await hook('kirin-queue-create');
	await until(async () => {
		const runs = await stack.executions(pausing.id);
		return runs.length === EXECUTIONS && runs.every((run) => run.status === 'waiting');
	}, `${EXECUTIONS} executions waiting`);
	expect(stack.simulator.counters.tasksCreated).toBe(EXECUTIONS);

	// All twenty wait; the workers (two slots) must still run other work at once.
	const sent = performance.now();
	await hook('kirin-queue-ping');
	const [pingRun] = await until(async () => {
		const runs = await stack.executions(ping.id);
		return runs.length === 1 && runs[0].status === 'success' ? runs : undefined;
	}, 'the unrelated workflow');
	const pingSeconds = (performance.now() - sent) / 1000;
	printFigure(
		`queue mode: unrelated workflow finished ${pingSeconds.toFixed(2)} s after its webhook call, while ${EXECUTIONS} executions waited`,
	);
	expect(pingRun.status).toBe('success');
	expect((await stack.executions(pausing.id)).filter((run) => run.status === 'waiting')).toHaveLength(
		EXECUTIONS,
	);

	const runs = await until(
		async () => {
			const list = await stack.executions(pausing.id);
			return list.length === EXECUTIONS &&
				list.every((run) => !['waiting', 'running', 'new'].includes(run.status))
				? list
				: undefined;
		},
		'all executions to resume',
		GENERATION_MS + 120_000,
	);
	const completed = runs.filter((run) => run.status === 'success').length;
	printFigure(
		`queue mode: ${completed} of ${EXECUTIONS} completed; tasks at the simulator: ${stack.simulator.counters.tasksCreated}`,
	);
	expect(completed).toBe(EXECUTIONS);

	// Zero duplicate tasks: one task per execution's item, each created once.
	expect(stack.simulator.counters.tasksCreated).toBe(EXECUTIONS);
	expect(Object.values(stack.simulator.counters.tasksPerExternalId).every((count) => count === 1)).toBe(true);

	// Each output is the API's task, with the video in database-mode binary storage.
	const execution = await stack.execution(runs[0].id);
	const [item] = output(execution, 'Kirin');
	expect(item.json.status).toBe('completed');
	const video = item.binary!.video;
	expect(video.id).toMatch(/^database:/);
	const stored = await stack.binary(video);
	expect(stored.equals(stack.simulator.expectedVideo(String(item.json.id)))).toBe(true);
}, 420_000);

it('the Kirin Trigger starts one run per finished task in queue mode', async () => {
	const trigger = readExample('fire-and-forget-trigger.json', {
		simulatorUrl: stack.simulatorUrl,
		n8nUrl: queue.webhookUrl,
	});
	const triggerWorkflow = await stack.importWorkflow(trigger, { activate: true });
	const create = await stack.importWorkflow(
		readExample('fire-and-forget-create.json', {
			simulatorUrl: stack.simulatorUrl,
			n8nUrl: queue.webhookUrl,
		}),
	);
	stack.simulator.setGenerationMs(2000);
	const creation = await stack.finished(await stack.run(create.id, 'Start'));
	expect(creation.status).toBe('success');
	const ids = output(creation, 'Kirin').map((item) => String(item.json.id));
	expect(ids).toHaveLength(2);

	const runs = await until(
		async () => {
			const list = await stack.executions(triggerWorkflow.id);
			return list.length >= 2 && list.every((run) => !['running', 'new'].includes(run.status))
				? list
				: undefined;
		},
		'two trigger executions',
		120_000,
	);
	expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
	const items = await Promise.all(
		runs.map(async (run) => output(await stack.execution(run.id), 'Kirin Trigger')[0]),
	);
	expect(items.map((item) => item.json.id).sort()).toEqual([...ids].sort());
}, 240_000);

it('the same workflow started twice at once on two workers, an API that refuses a taken ID: zero duplicate tasks', async () => {
	const path = 'kirin-queue-twice';
	const kirin = {
		id: 'twice-kirin',
		name: 'Kirin',
		type: 'n8n-nodes-kirin.kirin',
		typeVersion: 1,
		position: [200, 0],
		credentials: { kirinApi: stack.credential },
		parameters: {
			operation: 'create',
			imageSource: 'url',
			imageUrl: `${stack.simulatorUrl}/samples/shoe-1080x1080.png`,
			prompt: 'The camera circles the shoe, twice delivered',
			duration: '5',
			waitForCompletion: true,
			timeLimitMinutes: 2,
			download: false,
			options: { pollFirstSeconds: 0.5, pollMaxSeconds: 1 },
		},
	};
	const twice = await stack.importWorkflow(
		webhookWorkflow('Queue: twice at once', path, [kirin], {
			Webhook: { main: [[{ node: 'Kirin', type: 'main', index: 0 }]] },
		}) as never,
		{ activate: true },
	);
	const { simulator } = stack;
	simulator.setDuplicateExternalIds('refuse');
	simulator.setGenerationMs(2000);
	// A slow create (recorded a second late): each worker takes one execution (one slot each), and
	// the other worker looks the ID up meanwhile and finds nothing. This n8n's memory does not
	// reach the other process: only the API's refusal of the taken ID keeps it to one task.
	simulator.injectFault('create', { kind: 'delay', ms: 1000 });
	const creates = simulator.counters.requests.create;
	const refused = simulator.counters.refusedAsTaken;
	try {
		await Promise.all([hook(path), hook(path)]);
		const runs = await until(
			async () => {
				const list = await stack.executions(twice.id);
				return list.length === 2 && list.every((run) => !['waiting', 'running', 'new'].includes(run.status))
					? list
					: undefined;
			},
			'both executions',
			120_000,
		);
		const sent = simulator.counters.requests.create - creates;
		const refusals = simulator.counters.refusedAsTaken - refused;
		printFigure(
			`queue mode, two workers, the same workflow twice at once: ${sent} create requests, ${refusals} refused as taken, statuses ${runs.map((run) => run.status).join(', ')}`,
		);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
		const items = await Promise.all(
			runs.map(async (run) => output(await stack.execution(run.id), 'Kirin')[0]),
		);
		expect(items[0].json.id).toBe(items[1].json.id);
		expect(items.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		// Zero duplicate tasks: one task under the item's external task ID.
		expect(simulator.counters.tasksPerExternalId[String(items[0].json.externalTaskId)]).toBe(1);
		// Both workers sent their create (two processes), and the API refused the second.
		expect([sent, refusals]).toEqual([2, 1]);
	} finally {
		simulator.setDuplicateExternalIds();
	}
}, 240_000);
