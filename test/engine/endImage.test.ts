import type { INodeParameters } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { makeGif, makePng } from '../fixtures/images';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import type { SeedItem } from '../support/testNodes';
import { createParameters, imageItem, useSimulator } from './context';

/** End Image (the model's `image_tail`): from each source into the body, the key and the quote. */

const ctx = useSimulator();

const END_PNG = makePng(800, 600);
const END_URL = 'https://images.example.com/last-frame.png';

/** An item with its image as `data` and its end image as `end`. */
function withEndFile(bytes: Buffer = END_PNG): SeedItem {
	return {
		...imageItem(),
		files: { end: { base64: bytes.toString('base64'), fileName: 'end.png', mimeType: 'image/png' } },
	};
}

async function create(
	seed: SeedItem[],
	overrides: INodeParameters,
	options: INodeParameters = {},
	workflowId?: string,
) {
	const workflow = { ...kirinWorkflow(seed, createParameters(overrides, options)), id: workflowId };
	const run = await runWorkflow(workflow, ctx.credentials);
	return { run, items: outputOf(run, 'Kirin'), error: errorOf(run) };
}

function paramsOf(id: unknown): Record<string, unknown> {
	return ctx.sim.createBody(String(id))?.input[0].params as Record<string, unknown>;
}

describe('End Image reaches the create as the model’s image_tail', () => {
	it('from a URL, as the URL, after the image', async () => {
		const { items, error } = await create([imageItem()], { endImageSource: 'url', endImageUrl: END_URL });
		expect(error).toBeUndefined();
		const params = paramsOf(items[0].json.id);
		expect(params.image_tail).toBe(END_URL);
		expect(Object.keys(params).slice(0, 2)).toEqual(['image', 'image_tail']);
	});

	it('from base64, as bare base64 (a data URI prefix removed)', async () => {
		const { items } = await create([imageItem()], {
			endImageSource: 'base64',
			endImageBase64: `data:image/png;base64,${END_PNG.toString('base64')}`,
		});
		expect(paramsOf(items[0].json.id).image_tail).toBe(END_PNG.toString('base64'));
	});

	it('from a binary field, streamed as base64 beside the image, byte for byte', async () => {
		const { items } = await create([withEndFile()], {
			endImageSource: 'binary',
			endImageBinaryPropertyName: 'end',
		});
		const params = paramsOf(items[0].json.id);
		expect(params.image_tail).toBe(END_PNG.toString('base64'));
		expect(params.image).toBe(makePng(640, 480).toString('base64'));
	});

	it('changes the idempotency key: the same item with another end image is another video', async () => {
		// One workflow: only what the item asks for tells the keys apart.
		const workflowId = randomUUID();
		const plain = await create([imageItem()], {}, {}, workflowId);
		const withEnd = await create(
			[imageItem()],
			{ endImageSource: 'url', endImageUrl: END_URL },
			{},
			workflowId,
		);
		const again = await create(
			[imageItem()],
			{ endImageSource: 'url', endImageUrl: END_URL },
			{},
			workflowId,
		);
		const otherEnd = await create(
			[imageItem()],
			{ endImageSource: 'url', endImageUrl: 'https://images.example.com/other.png' },
			{},
			workflowId,
		);
		const keys = [plain, withEnd, again, otherEnd].map(
			({ items }) => paramsOf(items[0].json.id).external_task_id,
		);
		expect(keys[1]).toBe(keys[2]);
		expect(new Set(keys).size).toBe(3);
		expect(ctx.sim.counters.tasksCreated).toBe(3);
	});

	it('is priced with the create: the quote asked carries the same image_tail', async () => {
		const { items } = await create(
			[withEndFile()],
			{ endImageSource: 'binary', endImageBinaryPropertyName: 'end' },
			{ maxCostPerVideo: 1 },
		);
		expect(ctx.sim.quotes).toHaveLength(1);
		expect(ctx.sim.quotes[0].body.input[0].params.image_tail).toBe(END_PNG.toString('base64'));
		expect(ctx.sim.quotes[0].body).toEqual(ctx.sim.createBody(String(items[0].json.id)));
	});
});

const badEnds: Array<[string, SeedItem, INodeParameters, RegExp]> = [
	[
		'a GIF URL',
		imageItem(),
		{ endImageSource: 'url', endImageUrl: 'https://x.example/a.gif' },
		/end image URL points to a \.gif/,
	],
	[
		'a URL that resolves to nothing',
		imageItem(),
		{ endImageSource: 'url', endImageUrl: "={{ $json.end ?? '' }}" },
		/end image URL is empty/,
	],
	[
		'base64 of a 200 px image',
		imageItem(),
		{ endImageSource: 'base64', endImageBase64: makePng(200, 400).toString('base64') },
		/end image is 200 × 400 px/,
	],
	[
		'a source expression that gives nothing',
		imageItem(),
		// n8n shows every field under a source given by an expression, so each gets a value.
		{ endImageSource: "={{ $json.source ?? '' }}", endImageUrl: END_URL, endImageBase64: 'AAAA' },
		/end image source is ""/,
	],
	[
		'broken base64',
		imageItem(),
		{ endImageSource: 'base64', endImageBase64: '%%%' },
		/end image is not valid base64/,
	],
	[
		'a binary GIF',
		withEndFile(makeGif()),
		{ endImageSource: 'binary', endImageBinaryPropertyName: 'end' },
		/end image.*GIF/i,
	],
	[
		'a binary ratio beyond 2.5:1',
		withEndFile(makePng(751, 300)),
		{ endImageSource: 'binary', endImageBinaryPropertyName: 'end' },
		/end image.*aspect ratio/,
	],
	[
		'a missing binary field',
		imageItem(),
		{ endImageSource: 'binary', endImageBinaryPropertyName: 'end' },
		/^The item has no binary field "end" for the end image/,
	],
];

describe('a bad End Image costs nothing', () => {
	it.each(badEnds)(
		'%s: refused before any request, naming the end image and the item',
		async (_name, seed, overrides, message) => {
			const { error } = await create([seed], overrides, { maxCostPerVideo: 1 });
			expect(error?.message).toMatch(message);
			expect(error?.message).toContain('[item 0]');
			expect(error?.description).toMatch(/^[A-Z].*\.$/);
			expect(ctx.sim.requestLog).toHaveLength(0);
		},
	);

	it('with Continue On Fail only its own item fails; the other is made', async () => {
		const run = await runWorkflow(
			kirinWorkflow(
				[imageItem({ end: END_URL }), imageItem({ end: 'https://x.example/a.webp' })],
				createParameters({ endImageSource: 'url', endImageUrl: '={{ $json.end }}' }),
				{ onError: 'continueRegularOutput' },
			),
			ctx.credentials,
		);
		const items = outputOf(run, 'Kirin');
		expect(items[0].json.status).toBeDefined();
		expect(String(items[1].json.error)).toMatch(/end image URL points to a \.webp file.*\[item 1\]/);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it("Kirin refusing image_tail (a model that takes none) is a bad input: sent once, nothing made, Kirin's words shown", async () => {
		ctx.sim.injectFault('create', {
			kind: 'status',
			status: 400,
			body: { code: 400, message: 'image_tail is not supported by this model' },
		});
		const { error } = await create([imageItem()], { endImageSource: 'url', endImageUrl: END_URL });
		expect(error?.message).toMatch(/Kirin rejected the request \(HTTP 400\) \[item 0, code 400\]/);
		expect(error?.description).toContain('image_tail is not supported by this model');
		expect(ctx.sim.counters.requests.create).toBe(1);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	});
});
