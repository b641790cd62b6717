import type { INodeParameters } from 'n8n-workflow';

import { forgetAllApis } from '../../nodes/shared/api/knownTasks';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import type { SeedItem } from '../support/testNodes';
import { TriggerHost } from '../support/triggerHost';
import { createParameters, imageItem, useSimulator } from './context';

// Issue 18: nothing fails open. Every run setting is read and checked before the first create
// (an expression that resolves to nothing is an error, never "no limit"); odd answers from the
// API never crash; Continue On Fail holds for every per-item input error.
const ctx = useSimulator();

const continueOnFail = { onError: 'continueRegularOutput' as const };

async function create(
	seeds: SeedItem[],
	overrides: INodeParameters,
	options: INodeParameters = {},
	settings = {},
) {
	const run = await runWorkflow(
		kirinWorkflow(seeds, createParameters(overrides, options), settings),
		ctx.credentials,
	);
	return { run, items: outputOf(run, 'Kirin'), error: errorOf(run) };
}

/** Nothing at all was asked of the API: no quote, no look-up, no create. */
function nothingSent() {
	expect(ctx.sim.counters.quotes).toEqual({ priced: 0, missed: 0, noRoute: 0 });
	expect(ctx.sim.counters.requests.create).toBe(0);
	expect(ctx.sim.counters.tasksCreated).toBe(0);
	expect(ctx.sim.requestLog).toHaveLength(0);
}

describe('every run setting is read and checked before anything is quoted or created', () => {
	it('Max Cost per Video from an expression that finds no budget stops the node, naming the option and the item', async () => {
		const { error } = await create([imageItem({ sku: 'a' })], {}, { maxCostPerVideo: '={{ $json.budget }}' });
		expect(error?.message).toBe('Max Cost per Video is empty [item 0]');
		expect(error?.description).toContain('remove Max Cost per Video from the options (no limit)');
		nothingSent();
	});

	it.each([
		['without Continue On Fail', {}],
		['with Continue On Fail', continueOnFail],
	])(
		'Max Cost per Video read for every item: a budget empty on item 1 stops the node %s, naming item 1',
		async (_how, settings) => {
			const { error } = await create(
				[imageItem({ budget: 5 }), imageItem({ budget: '' })],
				{},
				{ maxCostPerVideo: '={{ $json.budget }}' },
				settings,
			);
			expect(error?.message).toBe('Max Cost per Video is empty [item 1]');
			expect(error?.description).toContain('gives a number for item 1 (it is read for every item)');
			nothingSent();
		},
	);

	it('Max Cost for This Run that differs between items stops the node, naming the first item that differs', async () => {
		const { error } = await create(
			[imageItem({ run: 5 }), imageItem({ run: 5 }), imageItem({ run: 2 })],
			{},
			{ maxCostPerRun: '={{ $json.run }}' },
		);
		expect(error?.message).toBe(
			'Max Cost for This Run must be the same for every item: item 0 gives $5.00, item 2 gives $2.00 [item 2]',
		);
		nothingSent();
	});

	it('Max Cost for This Run empty on a later item stops the node, naming that item', async () => {
		const { error } = await create(
			[imageItem({ run: 5 }), imageItem({})],
			{},
			{ maxCostPerRun: '={{ $json.run }}' },
		);
		expect(error?.message).toBe('Max Cost for This Run is empty [item 1]');
		nothingSent();
	});

	it('When the Price Is Unknown that differs between items stops the node, nothing sent', async () => {
		const { error } = await create(
			[imageItem({ how: 'goAhead' }), imageItem({ how: 'stop' })],
			{},
			{ maxCostPerRun: 10, whenPriceUnknown: '={{ $json.how }}' },
		);
		expect(error?.message).toBe(
			'When the Price Is Unknown must be the same for every item: item 0 gives Go Ahead, item 1 gives Stop [item 1]',
		);
		nothingSent();
	});

	it('Max Cost for This Run given as null stops the node too', async () => {
		const { error } = await create([imageItem()], {}, { maxCostPerRun: '={{ null }}' });
		expect(error?.message).toBe('Max Cost for This Run is empty [item 0]');
		nothingSent();
	});

	it('a Time Limit from an expression that finds nothing stops the node before the create (once: bought, then "delay" NaN)', async () => {
		const { error } = await create([imageItem()], {
			waitForCompletion: true,
			timeLimitMinutes: '={{ $json.minutes }}',
		});
		expect(error?.message).toBe('Time Limit is empty [item 0]');
		nothingSent();
	});

	it.each([
		[71_583, 'beyond what AbortSignal.timeout accepts (RangeError after the purchase)'],
		[40_000, "beyond Node's timer (its delay silently becomes 1 ms)"],
	])('a Time Limit of %d minutes, %s, is refused before the create', async (minutes) => {
		const { error } = await create([imageItem()], { waitForCompletion: true, timeLimitMinutes: minutes });
		expect(error?.message).toBe(
			`Time Limit is ${minutes.toLocaleString('en-US')} minutes, out of range [item 0]`,
		);
		expect(error?.description).toContain('Enter a number more than 0 and at most 35,791 minutes');
		nothingSent();
	});

	it.each<[string, INodeParameters, string]>([
		[
			'Max Concurrent Requests',
			{ concurrency: '={{ $json.c }}' },
			'Max Concurrent Requests is empty [item 0]',
		],
		[
			'Max Status Checks per Second',
			{ maxStatusRequestsPerSecond: 0 },
			'Max Status Checks per Second is 0, out of range [item 0]',
		],
		['First Poll After', { pollFirstSeconds: -1 }, 'First Poll After is -1 seconds, out of range [item 0]'],
		['Max Poll Interval', { pollMaxSeconds: '={{ $json.nothing }}' }, 'Max Poll Interval is empty [item 0]'],
		[
			'Request Timeout',
			{ requestTimeoutSeconds: '=soon' },
			'Request Timeout is "soon", which is not a number [item 0]',
		],
	])('%s empty or out of range stops the node before anything is sent', async (_name, options, message) => {
		const { error } = await create([imageItem()], { waitForCompletion: true }, options);
		expect(error?.message).toBe(message);
		nothingSent();
	});

	it("with Continue On Fail a wrong run setting still stops the node (it is no one item's input)", async () => {
		const { error } = await create(
			[imageItem()],
			{},
			{ maxCostPerVideo: '={{ $json.budget }}' },
			continueOnFail,
		);
		expect(error?.message).toBe('Max Cost per Video is empty [item 0]');
		nothingSent();
	});
});

describe('an Options expression that fails for one item fails that item only (Continue On Fail)', () => {
	const errorOutput = { onError: 'continueErrorOutput' as const };
	// Item 1's budget cannot be converted: its expression throws for item 1 alone.
	const budgets = () => [
		imageItem({ n: 0, budget: '2' }),
		imageItem({ n: 1, budget: 'n/a' }),
		imageItem({ n: 2, budget: '2' }),
	];
	const budgetOptions = { maxCostPerVideo: '={{ $json.budget.toNumber() }}' };
	const createOverBudgets = async (settings = {}) =>
		await create(budgets(), { prompt: '=shot {{ $json.n }}' }, budgetOptions, settings);

	it('Max Cost per Video: the other items are created, the item fails naming the option and the item', async () => {
		const { error, items } = await createOverBudgets(continueOnFail);
		expect(error).toBeUndefined();
		expect(items.map((item) => typeof item.json.id)).toEqual(['string', 'undefined', 'string']);
		expect(items[1].json.error).toBe(
			'Max Cost per Video could not be read: its expression failed for this item (cannot convert to number) [item 1]',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
		expect(ctx.sim.counters.quotes.priced).toBe(2);
	});

	it('Max Cost per Video, with the error output: the item goes there, the others are created', async () => {
		const { run, items } = await createOverBudgets(errorOutput);
		expect(errorOf(run)).toBeUndefined();
		expect(items.map((item) => typeof item.json.id)).toEqual(['string', 'string']);
		const failedItems = run.data.resultData.runData.Kirin[0].data!.main[1]!;
		expect(failedItems.map((item) => item.json.n)).toEqual([1]);
		expect(String(failedItems[0].json.error)).toMatch(/^Max Cost per Video could not be read: .*\[item 1\]$/);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('without Continue On Fail the node stops before anything is sent, naming the option and the item', async () => {
		const { error } = await createOverBudgets();
		expect(error?.message).toBe(
			'Max Cost per Video could not be read: its expression failed for this item (cannot convert to number) [item 1]',
		);
		expect(error?.description).toContain('Fix the expression of Options → Max Cost per Video');
		nothingSent();
	});

	it.each([
		[1, 'read for every item'],
		[0, 'the item the run settings are read from'],
	])(
		"another option's failing expression (Callback URL) on item %d (%s) fails only that item",
		async (bad) => {
			const seeds = [0, 1, 2].map((n) => imageItem({ order: n === bad ? 'n/a' : String(n) }));
			const { error, items } = await create(
				seeds,
				{ prompt: '=shot {{ $json.order }}', waitForCompletion: true },
				{ callbackUrl: "={{ 'https://example.com/hook/' + $json.order.toInt() }}", maxCostPerVideo: 1 },
				continueOnFail,
			);
			expect(error).toBeUndefined();
			expect(items.map((item) => typeof item.json.id)).toEqual(
				[0, 1, 2].map((n) => (n === bad ? 'undefined' : 'string')),
			);
			expect(items[bad].json.error).toBe(
				`Callback URL could not be read: its expression failed for this item (cannot convert to integer) [item ${bad}]`,
			);
			expect(ctx.sim.counters.tasksCreated).toBe(2);
		},
	);
});

describe('odd timestamps never crash', () => {
	const NS = { kind: 'timestamps', unit: 'ns' } as const;

	it('Get Status reads a task whose created_at is in nanoseconds', async () => {
		const made = await create([imageItem()], {});
		const id = String(made.items[0].json.id);
		ctx.sim.injectFault('get', NS);
		const run = await runWorkflow(
			kirinWorkflow([{ json: {} }], { operation: 'getStatus', lookUpBy: 'id', taskId: id }),
			ctx.credentials,
		);
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run, 'Kirin');
		expect(item.json.id).toBe(id);
		expect(Date.parse(String(item.json.createdAt))).toBeGreaterThan(Date.now() - 60_000);
	});

	it.each(['s', 'ms', 'us', 'ns', 'numeric string', 'iso'] as const)(
		'Get Status gives the true creation time when the API writes it in %s',
		async (unit) => {
			const made = await create([imageItem({ unit })], {});
			const id = String(made.items[0].json.id);
			const createdMs = ctx.sim.records.get(id)!.createdMs;
			ctx.sim.injectFault('get', { kind: 'timestamps', unit });
			const run = await runWorkflow(
				kirinWorkflow([{ json: {} }], { operation: 'getStatus', lookUpBy: 'id', taskId: id }),
				ctx.credentials,
			);
			const seen = Date.parse(String(outputOf(run, 'Kirin')[0].json.createdAt));
			// Seconds lose the milliseconds; every other unit keeps the instant.
			expect(Math.abs(seen - createdMs)).toBeLessThan(unit === 's' ? 1000 : 2);
		},
	);

	it('a create answered 200 with created_at in nanoseconds succeeds, with its task', async () => {
		ctx.sim.injectFault('create', NS);
		const { error, items } = await create([imageItem()], { waitForCompletion: true, timeLimitMinutes: 1 });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'completed' });
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('the Kirin Trigger answers 200 to a callback with created_at in nanoseconds (once 500), and 400 to a body it cannot read', async () => {
		const made = await create([imageItem()], { waitForCompletion: true, timeLimitMinutes: 1 });
		const id = String(made.items[0].json.id);
		const host = new TriggerHost(
			{ events: ['completed', 'failed'], verify: true, requireToken: false },
			ctx.credentials,
		);
		const url = await host.start();
		try {
			const post = async (body: unknown) =>
				await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
			ctx.sim.injectFault('get', NS); // the verification's answer is odd too
			const odd = await post({ ...(ctx.sim.callbackBody(id) as object), created_at: Date.now() * 1e6 });
			expect(odd.status).toBe(200);
			expect(host.runs).toHaveLength(1);

			const unreadable = await post({ id: { nested: true }, status: ['succeed'], created_at: 'x' });
			expect(unreadable.status).toBe(400);
			expect(host.runs).toHaveLength(1);
		} finally {
			await host.stop();
		}
	});
});

describe("an error given as a plain string that starts with the seed's code", () => {
	it('is read as that code: the user gets its advice', async () => {
		forgetAllApis();
		ctx.sim.injectFault('get', {
			kind: 'status',
			status: 200,
			body: {
				id: 'task_str',
				status: 'failed',
				error: '8002009098: Generation process failed',
				created_at: 1_764_000_000,
			},
		});
		const run = await runWorkflow(
			kirinWorkflow([{ json: {} }], { operation: 'getStatus', lookUpBy: 'id', taskId: 'task_str' }),
			ctx.credentials,
		);
		const [item] = outputOf(run, 'Kirin');
		expect(item.json).toMatchObject({
			status: 'failed',
			errorCode: 8002009098,
			errorMessage: 'Generation process failed',
		});
	});

	it('a Create waiting on such a task fails with the code and its advice', async () => {
		ctx.sim.setGenerationMs(60_000);
		const made = await create([imageItem({ n: 'str' })], {});
		const id = String(made.items[0].json.id);
		ctx.sim.injectFault('get', {
			kind: 'status',
			status: 200,
			body: {
				id,
				status: 'failed',
				error: '8002009098: Generation process failed',
				created_at: 1_764_000_000,
			},
		});
		const run = await runWorkflow(
			kirinWorkflow([{ json: {} }], {
				operation: 'wait',
				taskId: id,
				timeLimitMinutes: 1,
				download: false,
				options: { pollFirstSeconds: 0.1 },
			}),
			ctx.credentials,
		);
		const error = errorOf(run);
		expect(error?.message).toContain('Kirin could not generate this video');
		expect(error?.message).toContain('8002009098');
		expect(error?.description).toContain('Run it again, or try another image or prompt.');
	});
});

describe('Continue On Fail holds for every per-item input error', () => {
	it('one unreadable binary among good items fails only its item: the others are created', async () => {
		const seeds: SeedItem[] = [
			imageItem({ n: 0 }),
			{ json: { n: 1 }, missingFile: { fileName: 'gone.png', mimeType: 'image/png' } },
			imageItem({ n: 2 }),
		];
		const { error, items } = await create(seeds, { prompt: '=shot {{ $json.n }}' }, {}, continueOnFail);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json.id).toEqual(expect.any(String));
		expect(String(items[1].json.error)).toContain('The image in binary field "data" could not be read');
		expect(items[2].json.id).toEqual(expect.any(String));
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('without Continue On Fail it stops before anything is created, naming the item', async () => {
		const seeds: SeedItem[] = [
			imageItem({ n: 0 }),
			{ json: { n: 1 }, missingFile: { fileName: 'gone.png', mimeType: 'image/png' } },
		];
		const { error } = await create(seeds, { prompt: '=shot {{ $json.n }}' });
		expect(error?.message).toMatch(/The image in binary field "data" could not be read .*\[item 1\]/);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});
});
