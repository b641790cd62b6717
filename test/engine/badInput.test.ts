import type { INodeParameters } from 'n8n-workflow';

import { makeGif, makeHeic, makeJpegHeader, makePng, makeSvg, makeWebp, padTo } from '../fixtures/images';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import type { SeedItem } from '../support/testNodes';
import { createParameters, imageItem, PNG_640x480, useSimulator } from './context';

const ctx = useSimulator();

const TEN_MIB = 10 * 1024 * 1024;

const good = PNG_640x480.toString('base64');

/** Every text input comes from the item, so item 0 is fine and only item 1 is bad. */
const fromItem: INodeParameters = {
	prompt: "={{ $json.prompt ?? 'A slow pan' }}",
	duration: "={{ $json.duration ?? '5' }}",
	imageUrl: "={{ $json.url ?? 'https://images.example.com/a.png' }}",
	imageBase64: `={{ $json.base64 ?? '${good}' }}`,
};

const cases: Array<[string, SeedItem, INodeParameters, RegExp]> = [
	['no binary field', { json: {} }, {}, /no binary field "data"/],
	['a GIF named .png', imageItem({}, makeGif()), {}, /GIF/],
	['a truncated PNG', imageItem({}, makePng(640, 480).subarray(0, 20)), {}, /cut off or damaged/],
	[
		'a truncated JPEG',
		imageItem({}, makeJpegHeader({ width: 640, height: 480 }).subarray(0, 12), 'a.jpg'),
		{},
		/cut off or damaged/,
	],
	['an image of exactly 10 MiB', imageItem({}, padTo(makePng(640, 480), TEN_MIB)), {}, /under 10 MB/],
	['an image 299 px wide', imageItem({}, makePng(299, 400)), {}, /299 × 400 px/],
	['a ratio beyond 2.5:1', imageItem({}, makePng(751, 300)), {}, /aspect ratio/],
	['a prompt of 2501 characters', imageItem({ prompt: 'x'.repeat(2501) }), {}, /2501 characters/],
	['an empty prompt', imageItem({ prompt: '   ' }), {}, /prompt is empty/],
	['a duration of 7', imageItem({ duration: '7' }), {}, /duration "7" is not possible/],
	['a malformed image URL', { json: { url: 'not a url' } }, { imageSource: 'url' }, /not a valid URL/],
	[
		'an ftp image URL',
		{ json: { url: 'ftp://example.com/a.png' } },
		{ imageSource: 'url' },
		/uses "ftp:", which Kirin cannot fetch/,
	],
	['a GIF image URL', { json: { url: 'https://example.com/a.gif' } }, { imageSource: 'url' }, /\.gif file/],
	['broken base64', { json: { base64: '%%%not-base64%%%' } }, { imageSource: 'base64' }, /not valid base64/],
	[
		'a data URI of a GIF',
		{ json: { base64: `data:image/gif;base64,${makeGif().toString('base64')}` } },
		{ imageSource: 'base64' },
		/image\/gif/,
	],
	['a malformed callback URL', imageItem({ callback: 'hook' }), {}, /callback URL/],
	[
		'a text file named .jpg',
		imageItem({}, Buffer.from('just some words, no image'), 'a.jpg'),
		{},
		/not an image Kirin can read/,
	],
	['a WebP renamed .png', imageItem({}, makeWebp()), {}, /WebP/],
	['a HEIC renamed .jpg', imageItem({}, makeHeic(), 'a.jpg'), {}, /HEIC/],
	['an SVG renamed .png', imageItem({}, makeSvg()), {}, /SVG/],
	['a zero-byte file', imageItem({}, Buffer.alloc(0)), {}, /image is empty \(0 bytes\)/],
	[
		'a JPEG 299 px tall',
		imageItem({}, makeJpegHeader({ width: 640, height: 299 }), 'a.jpg'),
		{},
		/640 × 299 px/,
	],
	['a ratio just beyond 1:2.5', imageItem({}, makePng(300, 751)), {}, /aspect ratio/],
	['a prompt of only line breaks', imageItem({ prompt: '\n\n' }), {}, /prompt is empty/],
	['a duration of 0', imageItem({ duration: '0' }), {}, /duration "0" is not possible/],
	['an empty image URL', { json: { url: '' } }, { imageSource: 'url' }, /image URL is empty/],
	['a whitespace image URL', { json: { url: '   ' } }, { imageSource: 'url' }, /image URL is empty/],
	[
		'a javascript: image URL',
		{ json: { url: 'javascript:alert(1)' } },
		{ imageSource: 'url' },
		/uses "javascript:", which Kirin cannot fetch/,
	],
	['an empty base64', { json: { base64: '' } }, { imageSource: 'base64' }, /base64 is empty/],
	[
		'base64 of a truncated PNG',
		{ json: { base64: makePng(640, 480).subarray(0, 30).toString('base64') } },
		{ imageSource: 'base64' },
		/cut off or damaged/,
	],
	[
		'a data URI of a WebP',
		{ json: { base64: `data:image/webp;base64,${makeWebp().toString('base64')}` } },
		{ imageSource: 'base64' },
		/image\/webp/,
	],
	['an external task ID with a slash', imageItem({ externalId: 'order/42' }), {}, /not a task ID/],
];

/** Get Status and Wait read a task ID per item: item 0 names a real-looking task, item 1 a bad one. */
const taskIdCases: Array<[string, INodeParameters, unknown, RegExp]> = [
	['Get Status with an empty task ID', { operation: 'getStatus', lookUpBy: 'id' }, '', /task ID is empty/],
	[
		'Get Status with a task ID holding a space',
		{ operation: 'getStatus', lookUpBy: 'id' },
		'task 1',
		/not a task ID/,
	],
	[
		'Get Status with an external ID holding a question mark',
		{ operation: 'getStatus', lookUpBy: 'externalTaskId' },
		'order?42',
		/not a task ID/,
	],
	['Wait with an empty task ID', { operation: 'wait' }, '   ', /task ID is empty/],
	['Wait with a task ID of 300 characters', { operation: 'wait' }, 'x'.repeat(300), /not a task ID/],
];

describe('bad inputs are rejected before any request', () => {
	it.each(cases)('%s', async (_name, seed, overrides, message) => {
		const parameters = createParameters(
			{ ...fromItem, ...overrides },
			{ callbackUrl: '={{ $json.callback ?? "" }}', externalTaskId: '={{ $json.externalId ?? "" }}' },
		);
		const goodSeed = overrides.imageSource ? { json: {} } : imageItem();
		const run = await runWorkflow(kirinWorkflow([goodSeed, seed], parameters), ctx.credentials);
		const error = errorOf(run);
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 1]');
		// n8n's error copy: the message says what happened, the description what to do.
		expect(error?.description).toMatch(/^[A-Z].*\.$/);
		expect(ctx.sim.requestLog).toHaveLength(0);
	});

	it.each(taskIdCases)('%s', async (_name, operation, badId, message) => {
		const ids = "={{ $json.ref ?? 'task_0123456789abcdef' }}";
		const parameters = {
			...operation,
			taskId: ids,
			externalTaskId: ids,
			options: { requestTimeoutSeconds: 5 },
		};
		const run = await runWorkflow(
			kirinWorkflow([{ json: {} }, { json: { ref: badId } }], parameters),
			ctx.credentials,
		);
		const error = errorOf(run);
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 1]');
		expect(error?.description).toMatch(/^Map the ID from an earlier Kirin node/);
		expect(ctx.sim.requestLog).toHaveLength(0);
	});

	it('with Continue On Fail, only the bad item fails and it costs nothing', async () => {
		const run = await runWorkflow(
			kirinWorkflow([imageItem(), imageItem({}, makePng(100, 100)), imageItem()], createParameters(), {
				onError: 'continueRegularOutput',
			}),
			ctx.credentials,
		);
		const items = outputOf(run, 'Kirin');
		expect(items.map((item) => typeof item.json.error)).toEqual(['undefined', 'string', 'undefined']);
		expect(items[1].json.error).toContain('[item 1]');
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});
});
