import type { INodeParameters } from 'n8n-workflow';

import { makeGif, makeJpegHeader, makePng, padTo } from '../fixtures/images';
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
	['a duration of 7', imageItem({ duration: '7' }), {}, /choose 5 or 10/],
	['a malformed image URL', { json: { url: 'not a url' } }, { imageSource: 'url' }, /not a valid URL/],
	[
		'an ftp image URL',
		{ json: { url: 'ftp://example.com/a.png' } },
		{ imageSource: 'url' },
		/only http and https/,
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
];

describe('bad inputs are rejected before any request', () => {
	it.each(cases)('%s', async (_name, seed, overrides, message) => {
		const parameters = createParameters(
			{ ...fromItem, ...overrides },
			{ callbackUrl: '={{ $json.callback ?? "" }}' },
		);
		const goodSeed = overrides.imageSource ? { json: {} } : imageItem();
		const run = await runWorkflow(kirinWorkflow([goodSeed, seed], parameters), ctx.credentials);
		const error = errorOf(run);
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 1]');
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
