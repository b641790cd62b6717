import type { INodeParameters } from 'n8n-workflow';

import { makeGif, makeJpegHeader, makePng, padTo } from '../fixtures/images';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import type { SeedItem } from '../support/testNodes';
import { createParameters, imageItem, useSimulator } from './context';

const ctx = useSimulator();

const TEN_MIB = 10 * 1024 * 1024;

const cases: Array<[string, SeedItem, INodeParameters, RegExp]> = [
	['no binary field', { json: {} }, {}, /no binary field "data"/],
	['a GIF named .png', imageItem({}, makeGif()), {}, /GIF/],
	['a truncated PNG', imageItem({}, makePng(640, 480).subarray(0, 20)), {}, /cut off|damaged|incomplete/i],
	['a truncated JPEG', imageItem({}, makeJpegHeader({ width: 640, height: 480 }).subarray(0, 12), 'a.jpg'), {}, /cut off|damaged|incomplete/i],
	['an image of exactly 10 MiB', imageItem({}, padTo(makePng(640, 480), TEN_MIB)), {}, /10 MB/],
	['an image 299 px wide', imageItem({}, makePng(299, 400)), {}, /299/],
	['a ratio beyond 2.5:1', imageItem({}, makePng(751, 300)), {}, /ratio|2\.5/],
	['a prompt of 2501 characters', imageItem(), { prompt: 'x'.repeat(2501) }, /2500/],
	['a duration of 7', imageItem(), { duration: '7' }, /5 or 10/],
	['a malformed image URL', { json: {} }, { imageSource: 'url', imageUrl: 'not a url' }, /URL/],
	['an ftp image URL', { json: {} }, { imageSource: 'url', imageUrl: 'ftp://example.com/a.png' }, /http/],
	['broken base64', { json: {} }, { imageSource: 'base64', imageBase64: '%%%not-base64%%%' }, /base64/i],
];

describe('bad inputs are rejected before any request', () => {
	it.each(cases)('%s', async (_name, seed, overrides, message) => {
		const run = await runWorkflow(kirinWorkflow([imageItem(), seed], createParameters(overrides)), ctx.credentials);
		const error = errorOf(run);
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 1]');
		expect(ctx.sim.requestLog).toHaveLength(0);
	});

	it('with Continue On Fail, only the bad item fails and it costs nothing', async () => {
		const run = await runWorkflow(
			kirinWorkflow([imageItem(), imageItem({}, makePng(100, 100)), imageItem()], createParameters(), { onError: 'continueRegularOutput' }),
			ctx.credentials,
		);
		const items = outputOf(run, 'Kirin');
		expect(items.map((item) => typeof item.json.error)).toEqual(['undefined', 'string', 'undefined']);
		expect(items[1].json.error).toContain('[item 1]');
		expect(ctx.sim.counters.tasksCreated).toBe(2);
	});
});
