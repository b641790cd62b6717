/**
 * The execution-pattern matrix: the ways n8n runs a node that users build around Kirin (loops,
 * Retry On Fail, re-runs, Continue and the error output, Pause, pinned data, a node run twice as
 * an agent's tool is), in n8n's real `WorkflowExecute` with n8n's own Loop Over Items node, over
 * real HTTP, against both readings of the protocol. Each row records the tasks bought against
 * the fewest that can make the videos asked for, where each item went, whether every item got
 * the video made from its own input, and whether the API key appeared anywhere.
 *
 * `npm run reliability` writes the rows to docs/RELIABILITY.md beside the fault matrix.
 */
import { randomUUID } from 'node:crypto';

import type { IConnections, INode, INodeExecutionData, IRun } from 'n8n-workflow';

import { forgetAllApis } from '../../nodes/shared/api/knownTasks';
import {
	errorOf,
	kirinWorkflow,
	runWorkflow,
	startWorkflow,
	TYPES,
	type WorkflowJson,
} from '../support/engine';
import { LogCapture } from '../support/logCapture';
import { PauseHost } from '../support/pauseHost';
import type { SeedItem } from '../support/testNodes';
import { API_KEY, createParameters, imageItem, useSimulator, waitAndDownload } from './context';
import { table, writeReliabilitySection } from './reliabilityReport';

type Profile = 'seed' | 'strict';
type Reached = 'main' | 'error output' | 'stopped the node';

interface Row {
	profile: Profile;
	pattern: string;
	tasks: number;
	minimum: number;
	/** Where each input item ended, in order. */
	reached: Reached[];
	rightVideo: boolean;
	keySeen: boolean;
	note?: string;
}

const rows: Row[] = [];
const logs = new LogCapture();
beforeAll(() => logs.install());
beforeEach(() => {
	// Every row starts as a freshly started n8n would: it knows nothing of the API yet.
	forgetAllApis();
	logs.lines.length = 0;
});

const FAST = { pollFirstSeconds: 0.1, pollMaxSeconds: 0.2, requestTimeoutSeconds: 5 };

/** Items with the product photo, each asking for its own prompt (from `$json.prompt`). */
function prompts(...texts: string[]): SeedItem[] {
	return texts.map((prompt) => imageItem({ prompt }));
}

function kirin(parameters: INode['parameters'], settings: Partial<INode> = {}): INode {
	return {
		id: 'kirin-node',
		name: 'Kirin',
		type: TYPES.kirin,
		typeVersion: 1,
		position: [400, 0],
		parameters,
		credentials: { kirinApi: { id: '1', name: 'Kirin (test)' } },
		...settings,
	};
}

/** Seed → Loop Over Items (batch size 1) → Kirin → back to the loop: one Kirin run per item. */
function loopWorkflow(seeds: SeedItem[], parameters: INode['parameters']): WorkflowJson {
	const seed = kirinWorkflow(seeds, {}).nodes[0];
	const loop: INode = {
		id: 'loop',
		name: 'Loop Over Items',
		type: TYPES.loop,
		typeVersion: 3,
		position: [200, 0],
		parameters: { options: {} },
	};
	const connections: IConnections = {
		Seed: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
		'Loop Over Items': { main: [[], [{ node: 'Kirin', type: 'main', index: 0 }]] },
		Kirin: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
	};
	return { nodes: [seed, loop, kirin(parameters)], connections };
}

function promptParameters(overrides: INode['parameters'] = {}) {
	return createParameters({ prompt: '={{ $json.prompt }}', ...overrides }, FAST);
}

/** Every run of the Kirin node: its output items by output (main, error), with their input's prompt. */
function kirinRuns(run: IRun, seeds: SeedItem[], loop = false) {
	const runs = run.data.resultData.runData.Kirin ?? [];
	return runs.map((taskData, runIndex) => {
		const outputs = taskData.data?.main ?? [];
		const prompt = (item: INodeExecutionData) => {
			const pairing = item.pairedItem as { item: number } | undefined;
			return String(seeds[loop ? runIndex : (pairing?.item ?? 0)].json.prompt);
		};
		return { main: outputs[0] ?? [], error: outputs[1] ?? [], prompt };
	});
}

/**
 * One row of the matrix: a workflow built the way users do, run as n8n would, then recorded and
 * checked. Every row is checked for the key in all its runs; its last run is judged.
 */
interface Pattern {
	title: string;
	/** The row's name in docs/RELIABILITY.md. */
	pattern: string;
	seeds: SeedItem[];
	/** The fewest tasks that can make the videos asked for. */
	minimum: number;
	/** Seed → Loop Over Items → Kirin: one Kirin run per item. */
	loop?: boolean;
	/** Where each item must end, with the row clean: `minimum` tasks, the right videos, no key. */
	reached?: Reached[];
	/** Runs the row's workflow, once or more, in order. */
	run: (seeds: SeedItem[]) => Promise<IRun[]>;
	note?: string | (() => string);
	/** What the row checks beyond (or instead of) being clean. */
	then?: (row: Row, runs: IRun[], seeds: SeedItem[]) => void;
}

export interface Verdict {
	reached: Reached[];
	rightVideo: boolean;
}

/**
 * Where each input item ended, and whether every item that carries a task got the task made from
 * its own prompt (and, when downloaded, exactly that task's video).
 */
function judge(
	sim: ReturnType<typeof useSimulator>['sim'],
	run: IRun,
	seeds: SeedItem[],
	loop = false,
): Verdict {
	if (errorOf(run)) return { reached: seeds.map(() => 'stopped the node'), rightVideo: true };
	const reached: Reached[] = [];
	let rightVideo = true;
	for (const [runIndex, output] of kirinRuns(run, seeds, loop).entries()) {
		for (const [where, items] of [
			['main', output.main],
			['error output', output.error],
		] as const) {
			for (const item of items) {
				const index = loop ? runIndex : ((item.pairedItem as { item: number }).item ?? 0);
				reached[index] = where;
				// On the error output the item names its task in its error.
				const task =
					where === 'main'
						? item.json
						: (sim.tasks().find((known) => String(item.json.error).includes(known.id)) ?? {});
				if (!task.id) continue;
				const params = sim.getParams(String(task.id));
				if (params?.prompt !== output.prompt(item)) rightVideo = false;
				const video = item.binary?.video;
				if (video && !Buffer.from(video.data, 'base64').equals(sim.expectedVideo(String(task.id)))) {
					rightVideo = false;
				}
			}
		}
	}
	return { reached, rightVideo };
}

function keySeen(...runs: IRun[]): boolean {
	return [...runs.map((run) => JSON.stringify(run.data)), logs.text()].join('\n').includes(API_KEY);
}

function report(profile: Profile): void {
	writeReliabilitySection(
		`pattern-matrix-${profile}`,
		profile === 'seed' ? 3 : 4,
		[
			`## The execution-pattern matrix, ${profile} profile`,
			'',
			'Each row builds a workflow the way users do and runs it as n8n would. *Tasks*: tasks the API',
			'made during the row, against the fewest that can make the videos asked for. *Right video*: every',
			"item that carries a task got the task made from its own prompt (and that task's video, byte for",
			'byte, where downloaded).',
			'',
			table(
				[
					'pattern',
					'tasks bought',
					'minimum',
					'where each item went',
					'right video per item',
					'key seen',
					'note',
				],
				rows
					.filter((row) => row.profile === profile)
					.map((row) => [
						row.pattern,
						String(row.tasks),
						String(row.minimum),
						row.reached.map((where, index) => `${index}: ${where}`).join(', '),
						row.rightVideo ? 'yes' : '**no**',
						row.keySeen ? '**yes**' : 'never',
						row.note ?? '',
					]),
			),
		].join('\n'),
	);
}

describe.each<Profile>(['seed', 'strict'])('the execution-pattern matrix, %s profile', (profile) => {
	const ctx = useSimulator({ profile, queuedMs: 20, generationMs: 150, videoBytes: 32 * 1024 });
	afterAll(() => report(profile));

	function record(row: Omit<Row, 'profile'>): Row {
		const full = { profile, ...row };
		rows.push(full);
		return full;
	}

	function expectClean(row: Row, reached: Reached[]) {
		expect(row.tasks).toBe(row.minimum);
		expect(row.reached).toEqual(reached);
		expect(row.rightVideo).toBe(true);
		expect(row.keySeen).toBe(false);
	}

	/** Runs `workflow` once. */
	async function once(workflow: WorkflowJson): Promise<IRun[]> {
		return [await runWorkflow(workflow, ctx.credentials)];
	}

	/** Runs `workflow` twice, one execution after the other, as the same workflow. */
	async function twice(workflow: WorkflowJson): Promise<IRun[]> {
		const json = { ...workflow, id: randomUUID() };
		const first = await runWorkflow(json, ctx.credentials);
		return [first, await runWorkflow(json, ctx.credentials)];
	}

	/** Run → record → check: every row's body. */
	async function runPattern(pattern: Pattern): Promise<void> {
		const runs = await pattern.run(pattern.seeds);
		const row = record({
			pattern: pattern.pattern,
			tasks: ctx.sim.counters.tasksCreated,
			minimum: pattern.minimum,
			...judge(ctx.sim, runs[runs.length - 1], pattern.seeds, pattern.loop),
			keySeen: keySeen(...runs),
			note: typeof pattern.note === 'function' ? pattern.note() : pattern.note,
		});
		if (pattern.reached) expectClean(row, pattern.reached);
		pattern.then?.(row, runs, pattern.seeds);
	}

	// Whether the Pause row's execution was stored as waiting (only where tasks are found by
	// external task ID); its run sets it, its note and checks read it.
	let pausedHere = false;

	const PATTERNS: Pattern[] = [
		{
			title: 'Loop Over Items (batch size 1) over "alpha" and "beta", Create without waiting',
			pattern: 'Loop Over Items, Create inside the loop, two prompts',
			seeds: prompts('alpha', 'beta'),
			minimum: 2,
			loop: true,
			reached: ['main', 'main'],
			run: async (seeds) => await once(loopWorkflow(seeds, promptParameters())),
			then: () => {
				const sent = ctx.sim
					.tasks()
					.slice(-2)
					.map((task) => ctx.sim.getParams(task.id)?.prompt);
				expect(sent).toEqual(['alpha', 'beta']);
			},
		},
		{
			title: 'the node run twice in one execution with the same arguments, as an agent calls a tool',
			pattern: 'the node run twice in one execution with the same arguments (a tool called twice)',
			seeds: prompts('same', 'same'),
			minimum: 2,
			loop: true,
			reached: ['main', 'main'],
			run: async (seeds) => await once(loopWorkflow(seeds, promptParameters())),
		},
		{
			title: "Retry On Fail after the video download failed: n8n's retry keeps the item's key",
			pattern: 'Retry On Fail after the video download failed',
			seeds: prompts('retry me'),
			minimum: 1,
			reached: ['main'],
			run: async (seeds) => {
				// The task is made and paid for; its download fails, so the node fails and n8n runs it again.
				ctx.sim.injectFault('download', { kind: 'status', status: 404 }, 1);
				return await once(
					kirinWorkflow(seeds, promptParameters(waitAndDownload), {
						retryOnFail: true,
						maxTries: 2,
						waitBetweenTries: 0,
					}),
				);
			},
			note: () => `${ctx.sim.counters.requests.create} create request; the retry reuses the task`,
		},
		{
			// The API records the task, then the connection drops before its answer: on a freshly
			// started n8n. Where the API finds tasks by external task ID (seed), the node finds it at
			// once. Where it cannot (strict), nobody can tell whether the create took effect: the node
			// fails the item naming its external task ID, and n8n's retry does not send it again.
			title: 'Retry On Fail after a lost create answer never sends the create again unless Kirin can tell',
			pattern: 'Retry On Fail after a lost create answer',
			seeds: prompts('lost answer'),
			minimum: 1,
			reached: profile === 'seed' ? ['main'] : undefined,
			run: async (seeds) => {
				ctx.sim.injectFault('create', { kind: 'reset-after' }, 1);
				return await once(
					kirinWorkflow(seeds, promptParameters(waitAndDownload), {
						retryOnFail: true,
						maxTries: 3,
						waitBetweenTries: 0,
					}),
				);
			},
			note: () =>
				profile === 'seed'
					? 'found by its external task ID at once'
					: `the item fails naming its external task ID; ${ctx.sim.counters.requests.create} create request in 3 tries`,
			then: (row, [run]) => {
				expect(ctx.sim.counters.requests.create).toBe(1);
				if (profile === 'seed') return;
				expect(row.tasks).toBe(1);
				expect(row.reached).toEqual(['stopped the node']);
				expect(errorOf(run)?.message).toMatch(/external task ID n8n-[0-9a-f]{32}/);
				expect(row.keySeen).toBe(false);
			},
		},
		{
			title: 'a second execution over the same inputs after a partial failure buys only the failed video',
			pattern: 'a second execution over the same inputs after one of three generations failed',
			seeds: prompts('first', 'second #flaky', 'third'),
			minimum: 4,
			reached: ['main', 'main', 'main'],
			run: async (seeds) => await twice(kirinWorkflow(seeds, promptParameters(waitAndDownload))),
			note: 'the first execution stops, naming all three tasks; the second reuses two',
			then: (_row, [first]) => {
				expect(errorOf(first)?.message).toMatch(
					/\[item 1(, code \d+)?\] Tasks: item 0 \S+ completed; item 1 \S+ failed; item 2 \S+ completed\.$/,
				);
			},
		},
		{
			title: 'Execute step twice on the same photo and prompt buys one video',
			pattern: 'Execute step twice on the same photo and prompt',
			seeds: prompts('click me twice'),
			minimum: 1,
			reached: ['main'],
			run: async (seeds) => await twice(kirinWorkflow(seeds, promptParameters())),
			then: (_row, [first]) => expect(errorOf(first)).toBeUndefined(),
		},
		{
			title: 'with "Always Create New Videos", every execution buys its own',
			pattern: 'Execute step twice with Always Create New Videos',
			seeds: prompts('fresh please'),
			minimum: 2,
			reached: ['main'],
			run: async (seeds) =>
				await twice(
					kirinWorkflow(
						seeds,
						createParameters({ prompt: '={{ $json.prompt }}' }, { ...FAST, alwaysCreateNew: true }),
					),
				),
		},
		{
			title: 'Continue (regular output): the failed item carries its task and the error',
			pattern: 'Continue, one of three generations fails',
			seeds: prompts('one', 'two #fail', 'three'),
			minimum: 3,
			reached: ['main', 'main', 'main'],
			run: async (seeds) =>
				await once(
					kirinWorkflow(seeds, promptParameters(waitAndDownload), { onError: 'continueRegularOutput' }),
				),
			then: (_row, [run], seeds) => {
				const failed = kirinRuns(run, seeds)[0].main[1];
				expect(failed.json).toMatchObject({ status: 'failed', error: expect.stringContaining('[item 1') });
			},
		},
		{
			title: 'Continue (using error output): the failed item reaches the error output, with its task',
			pattern: 'Continue (using error output), one of three generations fails',
			seeds: prompts('one', 'two #fail', 'three'),
			minimum: 3,
			reached: ['main', 'error output', 'main'],
			run: async (seeds) =>
				await once(
					kirinWorkflow(seeds, promptParameters(waitAndDownload), { onError: 'continueErrorOutput' }),
				),
			then: (_row, [run], seeds) => {
				const [errorItem] = kirinRuns(run, seeds)[0].error;
				// n8n adds the input item's fields; the error names the task, the message says what to do.
				const failedTask = ctx.sim
					.tasks()
					.reverse()
					.find((task) => ctx.sim.getParams(task.id)?.prompt === 'two #fail');
				expect(errorItem.json).toMatchObject({
					prompt: 'two #fail',
					error: expect.stringContaining('[item 1'),
					message: expect.stringMatching(/^Run it again/),
				});
				expect(String(errorItem.json.error)).toContain(failedTask!.id);
				// Only error and message beside the input's fields: what every n8n routes to the error output.
				expect(Object.keys(errorItem.json).sort()).toEqual(['error', 'message', 'prompt']);
			},
		},
		{
			title: 'Pause with Continue On Fail: resumed items stay paired with their own inputs',
			pattern: 'Pause Until Kirin Calls Back, with Continue On Fail and a first item that fails its checks',
			// Item 0 has no photo: it fails its checks and buys nothing; items 1 and 2 pause.
			seeds: [{ json: { prompt: 'no photo' } }, ...prompts('paused one', 'paused two')],
			minimum: 2,
			reached: ['main', 'main', 'main'],
			run: async (seeds) => {
				// Long enough that the execution is stored as waiting before the first task ends.
				ctx.sim.setGenerationMs(1500);
				const host = new PauseHost(ctx.credentials);
				await host.start();
				try {
					const parameters = promptParameters({ ...waitAndDownload, waitMethod: 'pause' });
					const workflow = kirinWorkflow(seeds, parameters, { onError: 'continueRegularOutput' });
					const { paused, finished } = host.run(workflow);
					pausedHere = Boolean((await paused).waitTill);
					return [await finished];
				} finally {
					await host.stop();
				}
			},
			note: () =>
				pausedHere
					? 'paused; resumed by the callbacks'
					: 'waited by polling: this API does not find tasks by external task ID',
			then: (_row, [run], seeds) => {
				expect(pausedHere).toBe(profile === 'seed');
				const items = kirinRuns(run, seeds)[0].main;
				expect(items[0].json.error).toContain(
					pausedHere ? "This item's inputs failed their checks" : 'The item has no binary field "data"',
				);
				expect(items.slice(1).every((item) => item.json.status === 'completed' && item.binary?.video)).toBe(
					true,
				);
			},
		},
		{
			title: 'pinned input data: two executions over the same pinned items buy each video once',
			pattern: 'pinned input data, two executions',
			// Pinned data is JSON: the photos come as URLs (passed to Kirin as they are).
			seeds: ['a', 'b'].map((name) => ({
				json: { prompt: `pinned ${name}`, url: `https://images.example.com/${name}.jpg` },
			})),
			minimum: 2,
			reached: ['main', 'main'],
			run: async (seeds) => {
				const workflow = kirinWorkflow(
					[],
					promptParameters({ imageSource: 'url', imageUrl: '={{ $json.url }}' }),
				);
				// The Seed node's output pinned, as the editor stores it; n8n runs Kirin on it.
				const pinData = { Seed: seeds.map((seed) => ({ json: seed.json as INodeExecutionData['json'] })) };
				return await twice({ ...workflow, pinData });
			},
		},
	];

	it.each(PATTERNS)('$title', async (pattern) => await runPattern(pattern));

	it.each([
		['accepts a duplicate external task ID silently', 'accept'],
		['refuses a taken external task ID (409)', 'refuse'],
	] as const)('two executions at once over one item, an API that %s', async (behaviour, duplicates) => {
		// A webhook delivered twice, a schedule overlapping its last run: the same workflow started
		// twice at once in one n8n. The second waits for the first's create and reuses its task.
		ctx.sim.setDuplicateExternalIds(duplicates);
		const seeds = prompts('at once');
		const workflow = { ...kirinWorkflow(seeds, promptParameters(waitAndDownload)), id: randomUUID() };
		const started = [startWorkflow(workflow, ctx.credentials), startWorkflow(workflow, ctx.credentials)];
		const [first, second] = await Promise.all(started.map(async (run) => await run.finished));
		const verdicts = [judge(ctx.sim, first, seeds), judge(ctx.sim, second, seeds)];
		const ids = [first, second].map((run) => kirinRuns(run, seeds)[0]?.main[0]?.json.id);
		const row = record({
			pattern: `two executions at once over one item (one n8n), an API that ${behaviour}`,
			tasks: ctx.sim.counters.tasksCreated,
			minimum: 1,
			reached: verdicts[1].reached,
			rightVideo: verdicts.every((verdict) => verdict.rightVideo),
			keySeen: keySeen(first, second),
			note: `both executions: ${verdicts.map((verdict) => verdict.reached.join()).join(' and ')}, ${ids[0] === ids[1] ? 'the same task' : 'two tasks'}; ${ctx.sim.counters.requests.create} create request`,
		});
		expectClean(row, ['main']);
		expect(verdicts[0].reached).toEqual(['main']);
		expect(ids[0]).toBe(ids[1]);
		expect(ctx.sim.counters.requests.create).toBe(1);
	});

	it('another n8n worker created the same external task ID a moment before, an API that refuses it (409)', async () => {
		// Queue mode: this process's memory does not reach another worker; the API's refusal does.
		ctx.sim.setDuplicateExternalIds('refuse');
		ctx.sim.injectFault('create', { kind: 'taken-before' });
		const seeds = prompts('raced');
		const run = await runWorkflow(kirinWorkflow(seeds, promptParameters(waitAndDownload)), ctx.credentials);
		const row = record({
			pattern: 'another worker created the same external task ID first, an API that refuses it (409)',
			tasks: ctx.sim.counters.tasksCreated,
			minimum: 1,
			...judge(ctx.sim, run, seeds),
			keySeen: keySeen(run),
			note:
				profile === 'seed'
					? "refused as taken: the other worker's task looked up and reused"
					: 'refused as taken; this API cannot find it by external task ID: the item fails naming it, nothing sent again',
		});
		expect(ctx.sim.counters.requests.create).toBe(1);
		if (profile === 'seed') {
			expectClean(row, ['main']);
		} else {
			expect(row.tasks).toBe(1);
			expect(row.reached).toEqual(['stopped the node']);
			expect(errorOf(run)?.message).toMatch(/already has a task under external task ID n8n-[0-9a-f]{32}/);
			expect(row.keySeen).toBe(false);
		}
	});

	it('a cap or a time limit from an expression that resolves to nothing buys nothing', async () => {
		// An empty sheet cell: `{{ $json.budget }}` over an item without `budget` once turned the
		// cap off; `{{ $json.minutes }}` without `minutes` once bought the video, then crashed.
		const seeds = prompts('no budget here', 'nor here');
		const cap = await runWorkflow(
			kirinWorkflow(
				seeds,
				createParameters(
					{ prompt: '={{ $json.prompt }}' },
					{ ...FAST, maxCostPerVideo: '={{ $json.budget }}' },
				),
				{ onError: 'continueRegularOutput' },
			),
			ctx.credentials,
		);
		const limit = await runWorkflow(
			kirinWorkflow(
				seeds,
				promptParameters({ ...waitAndDownload, timeLimitMinutes: '={{ $json.minutes }}' }),
			),
			ctx.credentials,
		);
		const row = record({
			pattern:
				'cap or time limit from an empty expression (Max Cost per Video, with Continue On Fail; Time Limit)',
			tasks: ctx.sim.counters.tasksCreated,
			minimum: 0,
			...judge(ctx.sim, limit, seeds),
			keySeen: keySeen(cap, limit),
			note: `both stop before anything is sent (${ctx.sim.requestLog.length} requests), naming the setting and item 0`,
		});
		expectClean(row, ['stopped the node', 'stopped the node']);
		expect(errorOf(cap)?.message).toBe('Max Cost per Video is empty [item 0]');
		expect(errorOf(limit)?.message).toBe('Time Limit is empty [item 0]');
		expect(ctx.sim.requestLog).toHaveLength(0);
	});
});
