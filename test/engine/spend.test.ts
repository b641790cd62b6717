import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { makePng } from '../fixtures/images';
import { errorOf, kirinWorkflow, outputOf, runWorkflow, TYPES, type WorkflowJson } from '../support/engine';
import { printFigure } from '../support/figures';
import type { SeedItem } from '../support/testNodes';
import { createParameters, imageItem, useSimulator } from './context';

// Spend control (issue 12): Estimate Cost, Create's Max Cost options and Additional Parameters,
// against the simulator's pre-charge route ($0.35 for 5 s, $0.70 for 10 s by default).
const ctx = useSimulator();

const noCOF = {};
const continueOnFail = { onError: 'continueRegularOutput' as const };

/** `count` distinct items (each its own prompt through `n`), durations from `durations` in turn. */
function items(count: number, durations: Array<'5' | '10'> = ['5']): SeedItem[] {
	return Array.from({ length: count }, (_, n) => imageItem({ n, d: durations[n % durations.length] }));
}

const perItem = { prompt: '=shot {{ $json.n }}', duration: '={{ $json.d }}' };

function estimateParameters(options: INodeParameters = {}, overrides: INodeParameters = {}): INodeParameters {
	return {
		operation: 'estimateCost',
		imageSource: 'binary',
		binaryPropertyName: 'data',
		...perItem,
		...overrides,
		options: { requestTimeoutSeconds: 5, ...options },
	};
}

async function run(workflow: WorkflowJson) {
	const result = await runWorkflow(workflow, ctx.credentials);
	return {
		run: result,
		items: outputOf(result, 'Kirin'),
		error: errorOf(result) as (Error & { description?: string }) | undefined,
	};
}

async function estimate(seeds: SeedItem[], options: INodeParameters = {}, settings = noCOF) {
	return await run(kirinWorkflow(seeds, estimateParameters(options), settings));
}

async function create(seeds: SeedItem[], options: INodeParameters = {}, settings = noCOF, id?: string) {
	return await run({ ...kirinWorkflow(seeds, createParameters(perItem, options), settings), id });
}

describe('Estimate Cost', () => {
	it('quotes 10 items: ten quotes, zero tasks, every item with its price and the total', async () => {
		const seeds = items(10, ['5', '10']);
		const { items: out, error } = await estimate(seeds);

		expect(error).toBeUndefined();
		expect(ctx.sim.counters.quotes).toEqual({ priced: 10, missed: 0, noRoute: 0 });
		expect(ctx.sim.counters.requests.create).toBe(0);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
		expect(out.map((item) => item.json.estimatedCost)).toEqual(
			seeds.map((_, n) => (n % 2 === 0 ? 0.35 : 0.7)),
		);
		// Five 5-second videos at $0.35 and five 10-second ones at $0.70.
		expect(out.every((item) => item.json.totalEstimatedCost === 5.25)).toBe(true);
		expect(out[0].json).toMatchObject({
			n: 0,
			estimate: 'quoted',
			currency: 'USD',
			discount: 1,
			pricedItems: 10,
			unknownItems: 0,
		});
		// Items go out as they came in (fields and image), so a Create can follow.
		expect(out.map((item) => item.pairedItem)).toEqual(seeds.map((_, item) => ({ item })));
		expect(out.every((item) => item.binary?.data.mimeType === 'image/png')).toBe(true);
		printFigure(
			`Estimate Cost, 10 items: ${ctx.sim.counters.quotes.priced} quotes, ${ctx.sim.counters.tasksCreated} tasks, total $${String(out[0].json.totalEstimatedCost)}`,
		);
	});

	it('says "unknown" with the reason when the price-quote route answers 404, asking once', async () => {
		ctx.sim.setQuoteMode('missing');
		const { items: out, error } = await estimate(items(10));

		expect(error).toBeUndefined();
		const reason = `this Kirin host gives no price quotes: /model/v1/generation/precharge answered HTTP 404`;
		expect(out.map((item) => item.json.estimateReason)).toEqual(Array(10).fill(reason));
		expect(out[0].json).toMatchObject({
			estimate: 'unknown',
			estimatedCost: null,
			totalEstimatedCost: 0,
			pricedItems: 0,
			unknownItems: 10,
		});
		// The first item learns the route is missing; the other nine are not asked.
		expect(ctx.sim.counters.quotes.noRoute).toBe(1);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
		printFigure(`Estimate Cost, route 404: ${String(out[0].json.estimate)}: ${reason}`);
	});

	it('says "unknown" for a cache miss, item by item', async () => {
		const seeds = [
			imageItem({ n: 0, d: '5' }),
			imageItem({ n: '1 #nocache', d: '5' }),
			imageItem({ n: 2, d: '10' }),
		];
		const { items: out } = await estimate(seeds);

		expect(out.map((item) => item.json.estimate)).toEqual(['quoted', 'unknown', 'quoted']);
		expect(out[1].json.estimateReason).toBe('Kirin has no price for this request yet: COST_CACHE_MISS');
		expect(out[2].json).toMatchObject({ totalEstimatedCost: 1.05, pricedItems: 2, unknownItems: 1 });
		expect(ctx.sim.counters.quotes).toEqual({ priced: 2, missed: 1, noRoute: 0 });
	});

	it('checks the inputs first, as Create does: a bad one is not quoted', async () => {
		const seeds = [imageItem({ n: 0, d: '5' }), imageItem({ n: 1, d: '5' }, makePng(100, 100))];
		const stopped = await estimate(seeds);
		expect(stopped.error?.message).toContain('[item 1]');
		expect(ctx.sim.requestLog).toHaveLength(0);

		const { items: out } = await estimate(seeds, {}, continueOnFail);
		expect(out[0].json.estimatedCost).toBe(0.35);
		expect(out[1].json.error).toContain('[item 1]');
		expect(ctx.sim.counters.quotes.priced).toBe(1);
	});

	it('prices the Additional Parameters too: they are in the quoted body', async () => {
		await estimate(items(1), { additionalParameters: '{"negative_prompt": "blurry", "cfg_scale": 0.5}' });
		expect(ctx.sim.quotes[0].body.input[0].params).toMatchObject({
			negative_prompt: 'blurry',
			cfg_scale: 0.5,
		});
	});
});

describe('Create with spend limits', () => {
	it('10 items over Max Cost for This Run: no create at all, one error naming total and cap', async () => {
		const { items: out, error } = await create(items(10), { maxCostPerRun: 3 });

		expect(out).toHaveLength(0);
		expect(error?.message).toBe(
			'This run would cost $3.50 for 10 new videos, over Max Cost for This Run ($3.00), so nothing was created',
		);
		expect(error?.description).toContain('Raise Options → Max Cost for This Run');
		expect(error?.description).toContain('item 0 $0.35, item 1 $0.35');
		expect(ctx.sim.counters.quotes.priced).toBe(10);
		expect(ctx.sim.counters.requests.create).toBe(0);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
		printFigure(
			`Create, 10 items, Max Cost for This Run $3.00: ${ctx.sim.counters.quotes.priced} quotes, ${ctx.sim.counters.requests.create} creates; error: ${error?.message}`,
		);
	});

	it('within the limits: creates, and the quote is the very body the create then sends', async () => {
		const options = {
			maxCostPerRun: 5,
			maxCostPerVideo: 1,
			callbackUrl: 'http://127.0.0.1:9/hook',
			additionalParameters: { negative_prompt: 'blurry' },
		};
		const { items: out, error } = await create(items(3, ['5', '10']), options);

		expect(error).toBeUndefined();
		expect(ctx.sim.counters.tasksCreated).toBe(3);
		expect(ctx.sim.quotes).toHaveLength(3);
		for (const item of out) {
			const sent = ctx.sim.createBody(String(item.json.id));
			const quoted = ctx.sim.quotes.find(
				(quote) => quote.body.input[0].params.external_task_id === item.json.externalTaskId,
			);
			expect(sent?.input[0].params).toMatchObject({
				negative_prompt: 'blurry',
				callback_url: 'http://127.0.0.1:9/hook',
			});
			expect(quoted?.body).toEqual(sent);
		}
		expect(out.map((item) => item.json.estimatedCost)).toEqual([0.35, 0.7, 0.35]);
		// Beside the final cost.
		const keys = Object.keys(out[0].json);
		expect(keys.indexOf('estimatedCost')).toBe(keys.indexOf('cost') - 1);
	});

	it('carries the estimate beside the final cost once the video is done', async () => {
		const parameters = createParameters(
			{ ...perItem, waitForCompletion: true, timeLimitMinutes: 1, download: false },
			{ maxCostPerVideo: 1 },
		);
		const { items: out } = await run(kirinWorkflow(items(1, ['10']), parameters));
		expect(out[0].json).toMatchObject({ status: 'completed', estimatedCost: 0.7, cost: 0.7 });
	});

	it('prices an item whose earlier task failed under the ID its new create will carry', async () => {
		const workflowId = randomUUID();
		const seeds = [imageItem({ n: '0 #flaky', d: '5' })];
		const first = await create(seeds, { maxCostPerRun: 1 }, continueOnFail, workflowId);
		const firstId = String(first.items[0].json.externalTaskId);
		await ctx.sim.waitFor((task) => task.external_task_id === firstId && task.status === 'failed');
		ctx.sim.resetCounters();

		const { items: out } = await create(seeds, { maxCostPerRun: 1 }, noCOF, workflowId);
		expect(out[0].json.externalTaskId).toBe(`${firstId}-2`);
		expect(ctx.sim.quotes.map((quote) => quote.body.input[0].params.external_task_id)).toEqual([
			`${firstId}-2`,
		]);
		expect(ctx.sim.quotes[0].body).toEqual(ctx.sim.createBody(String(out[0].json.id)));
	});

	it('one video over Max Cost per Video stops the run before any create', async () => {
		const { error } = await create(items(3, ['5', '10']), { maxCostPerVideo: 0.5 });
		expect(error?.message).toBe(
			'Item 1 would cost $0.70, over Max Cost per Video ($0.50), so nothing was created',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});

	it('with Continue On Fail, only the item over Max Cost per Video fails; the rest are created', async () => {
		const { items: out, error } = await create(
			items(3, ['5', '10', '5']),
			{ maxCostPerVideo: 0.5 },
			continueOnFail,
		);
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['queued', undefined, 'queued']);
		expect(out[1].json.error).toBe(
			'This video would cost $0.70, over Max Cost per Video ($0.50), so it was not created [item 1]',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it("holds each item to its own Max Cost per Video ({{ $json.budget }}), not to item 0's", async () => {
		// Budgets $5 and $1, each video $3.50: item 1 is over its own cap, though under item 0's.
		ctx.sim.setPrices({ 5: '3.50', 10: '7.00' });
		const seeds = [5, 1].map((budget, n) => imageItem({ n, d: '5', budget }));
		const options = { maxCostPerVideo: '={{ $json.budget }}' };

		const stopped = await create(seeds, options);
		expect(stopped.error?.message).toBe(
			'Item 1 would cost $3.50, over Max Cost per Video ($1.00), so nothing was created',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(0);

		const { items: out, error } = await create(seeds, options, continueOnFail);
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.status)).toEqual(['queued', undefined]);
		expect(out[0].json.estimatedCost).toBe(3.5);
		expect(out[1].json.error).toBe(
			'This video would cost $3.50, over Max Cost per Video ($1.00), so it was not created [item 1]',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('with Continue On Fail, the run limit is filled in item order and the rest fail', async () => {
		const { items: out } = await create(items(5), { maxCostPerRun: 1 }, continueOnFail);
		expect(out.map((item) => item.json.estimatedCost ?? 'refused')).toEqual([
			0.35,
			0.35,
			'refused',
			'refused',
			'refused',
		]);
		expect(out[2].json.error).toBe(
			'This video ($0.35) would take the run to $1.05, over Max Cost for This Run ($1.00), so it was not created [item 2]',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it('an unknown price stops the run by default, and goes ahead when told to', async () => {
		ctx.sim.setQuoteMode('miss');
		const stopped = await create(items(2), { maxCostPerRun: 10 });
		expect(stopped.error?.message).toBe(
			'Kirin gave no price for 2 items (item 0: Kirin has no price for this request yet: COST_CACHE_MISS), and When the Price Is Unknown is Stop, so nothing was created',
		);
		expect(ctx.sim.counters.tasksCreated).toBe(0);

		ctx.sim.setQuoteMode('missing');
		const ahead = await create(items(2), { maxCostPerRun: 10, whenPriceUnknown: 'goAhead' });
		expect(ahead.error).toBeUndefined();
		expect(ahead.items.map((item) => item.json.estimatedCost)).toEqual([null, null]);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
		expect(ctx.sim.counters.quotes.noRoute).toBe(1);
		printFigure(
			`Create with a cap, price unknown: default stops (${stopped.error?.message}); Go Ahead created ${ctx.sim.counters.tasksCreated} tasks`,
		);
	});

	it('counts reused videos as $0, and claims each item once for both pricing and creating', async () => {
		const workflowId = randomUUID();
		await create(items(2), {}, noCOF, workflowId);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
		ctx.sim.resetCounters();

		// Two videos made before (reused, $0) and two new ones ($0.70): exactly the run's limit.
		const { items: out, error } = await create(items(4), { maxCostPerRun: 0.7 }, noCOF, workflowId);
		expect(error).toBeUndefined();
		expect(out.map((item) => item.json.estimatedCost)).toEqual([0, 0, 0.35, 0.35]);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
		expect(ctx.sim.counters.quotes.priced).toBe(2);
		expect(ctx.sim.counters.requests.get).toBe(4);
	});

	it('asks again when a quote fails on the way (503): asking costs nothing', async () => {
		ctx.sim.injectFault('precharge', { kind: 'status', status: 503 });
		const { items: out, error } = await create(items(1), { maxCostPerRun: 1 });
		expect(error).toBeUndefined();
		expect(out[0].json.estimatedCost).toBe(0.35);
		expect(ctx.sim.counters.requests.precharge).toBe(2);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('refuses a limit that is not an amount of dollars', async () => {
		const { error } = await create(items(1), { maxCostPerRun: '=abc' });
		expect(error?.message).toBe(
			'Max Cost for This Run is "abc", which is not an amount of US dollars [item 0]',
		);
		expect(ctx.sim.requestLog).toHaveLength(0);
	});
});

describe("the README's pattern: Estimate Cost → If the total is within budget → Create", () => {
	const kirin = {
		type: TYPES.kirin,
		typeVersion: 1,
		credentials: { kirinApi: { id: '1', name: 'Kirin (test)' } },
	};

	function budgeted(seeds: SeedItem[], budgetUsd: number): WorkflowJson {
		const condition = (leftValue: string, operation: string, rightValue: number) => ({
			id: randomUUID(),
			leftValue,
			rightValue,
			operator: { type: 'number', operation },
		});
		return {
			nodes: [
				{ ...kirinWorkflow(seeds, {}).nodes[0] },
				{ ...kirin, id: 'estimate', name: 'Estimate', position: [200, 0], parameters: estimateParameters() },
				{
					id: 'if',
					name: 'Within Budget',
					type: TYPES.if,
					typeVersion: 2.2,
					position: [400, 0],
					parameters: {
						conditions: {
							options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
							conditions: [
								condition('={{ $json.totalEstimatedCost }}', 'lte', budgetUsd),
								condition('={{ $json.unknownItems }}', 'equals', 0),
							],
							combinator: 'and',
						},
						options: {},
					},
				},
				{ ...kirin, id: 'create', name: 'Create', position: [600, 0], parameters: createParameters(perItem) },
			],
			connections: {
				Seed: { main: [[{ node: 'Estimate', type: 'main', index: 0 }]] },
				Estimate: { main: [[{ node: 'Within Budget', type: 'main', index: 0 }]] },
				'Within Budget': { main: [[{ node: 'Create', type: 'main', index: 0 }], []] },
			},
		};
	}

	it('creates all ten videos when their total is within the budget, and none when it is not', async () => {
		const within = await runWorkflow(budgeted(items(10), 4), ctx.credentials);
		expect(errorOf(within)).toBeUndefined();
		expect(outputOf(within, 'Create').map((item) => item.json.status)).toEqual(Array(10).fill('queued'));
		expect(ctx.sim.counters.tasksCreated).toBe(10);
		ctx.sim.resetCounters();

		const over = await runWorkflow(budgeted(items(10), 3), ctx.credentials);
		expect(errorOf(over)).toBeUndefined();
		expect(outputOf(over, 'Create')).toHaveLength(0);
		expect(ctx.sim.counters.quotes.priced).toBe(10);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});
});

describe('Additional Parameters', () => {
	it('reach the API beside the node fields, and change the idempotency key', async () => {
		const workflowId = randomUUID();
		const plain = await create(items(1), {}, noCOF, workflowId);
		const extra = await create(
			items(1),
			{ additionalParameters: '{"shot_type": "customize", "cfg_scale": 0.5}' },
			noCOF,
			workflowId,
		);
		const params = ctx.sim.getParams(String(extra.items[0].json.id));
		expect(params).toMatchObject({ shot_type: 'customize', cfg_scale: 0.5, prompt: 'shot 0' });
		expect(extra.items[0].json.externalTaskId).not.toBe(plain.items[0].json.externalTaskId);

		// The same fields in another order are the same video: its task is reused.
		const again = await create(
			items(1),
			{ additionalParameters: '{"cfg_scale": 0.5, "shot_type": "customize"}' },
			noCOF,
			workflowId,
		);
		expect(again.items[0].json.id).toBe(extra.items[0].json.id);
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});

	it.each([
		[
			'{"prompt": "other"}',
			'Additional Parameters may not set "prompt": the node sends it from the Prompt field',
		],
		['{"external_task_id": "x"}', 'Additional Parameters may not set "external_task_id"'],
		['{"cfg_scale": }', 'Additional Parameters is not valid JSON'],
		['[1, 2]', 'Additional Parameters is a list, not a JSON object'],
	])('refuses %s before any request', async (json, message) => {
		const { error } = await create(items(1), { additionalParameters: json });
		expect(error?.message).toContain(message);
		expect(error?.message).toContain('[item 0]');
		expect(ctx.sim.requestLog).toHaveLength(0);
	});
});
