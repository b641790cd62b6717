/**
 * Memory bounded by concurrency, not by the batch: with n8n's binary data in filesystem mode (the
 * real BinaryDataService, files on disk), Create checks every image before the first create by
 * reading it as a stream, one image at a time, and reads an image whole only inside the create
 * window, never more at once than Max Concurrent Requests. The stream n8n hands out is recorded,
 * so the bound cannot quietly regress: reading every image up front (as Create once did) fails.
 */
import { createHash } from 'node:crypto';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { makeJpegHeader } from '../fixtures/images';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { makeTempDir, removeDir } from '../support/files';
import type { SeedItem } from '../support/testNodes';
import { createParameters, FAST_POLLING, useSimulator } from './context';

const ctx = useSimulator({ keepImages: false });

const ITEMS = 24;
const CONCURRENCY = 3;
const PHOTO_BYTES = 600 * 1024;

let storage: string;
const reads = { open: 0, peak: 0, whole: 0, streams: 0, peakDuringCreates: 0 };
let creating = false;

beforeAll(async () => {
	storage = makeTempDir('kirin-binary-');
	const config = Container.get(BinaryDataConfig);
	config.mode = 'filesystem';
	config.localStoragePath = storage;
	const service = Container.get(BinaryDataService);
	await service.init();

	// Record every read n8n serves: streams open at once, and whole-file reads.
	const getAsStream = service.getAsStream.bind(service);
	jest.spyOn(service, 'getAsStream').mockImplementation(async (id, chunkSize) => {
		const stream = await getAsStream(id, chunkSize);
		reads.streams += 1;
		reads.open += 1;
		reads.peak = Math.max(reads.peak, reads.open);
		if (creating) reads.peakDuringCreates = Math.max(reads.peakDuringCreates, reads.open);
		stream.once('close', () => (reads.open -= 1));
		return stream;
	});
	const getAsBuffer = service.getAsBuffer.bind(service);
	jest.spyOn(service, 'getAsBuffer').mockImplementation(async (binaryData) => {
		reads.whole += 1;
		return await getAsBuffer(binaryData);
	});
});

afterAll(() => removeDir(storage));

/** A valid 5:4 JPEG of about PHOTO_BYTES, different per item (its scan data). */
function photo(index: number): SeedItem {
	const scan = Buffer.alloc(PHOTO_BYTES, (index * 37 + 11) % 251);
	const bytes = makeJpegHeader({ width: 1000, height: 800, scan });
	return {
		json: { n: index },
		file: { base64: bytes.toString('base64'), fileName: `p${index}.jpg`, mimeType: 'image/jpeg' },
	};
}

beforeEach(() => {
	Object.assign(reads, { open: 0, peak: 0, whole: 0, streams: 0, peakDuringCreates: 0 });
	creating = false;
});

/** Runs Create over ITEMS photos at CONCURRENCY; each item's image must reach the API whole. */
async function createAll(options: Record<string, unknown> = {}) {
	const seeds = Array.from({ length: ITEMS }, (_, index) => photo(index));
	const parameters = createParameters(
		{ prompt: '=shot {{ $json.n }}' },
		{ ...FAST_POLLING, concurrency: CONCURRENCY, ...options },
	);
	ctx.sim.once('request', () => (creating = true));
	const run = await runWorkflow(kirinWorkflow(seeds, parameters), ctx.credentials);

	expect(errorOf(run)).toBeUndefined();
	expect(outputOf(run, 'Kirin')).toHaveLength(ITEMS);
	// What reached the API is each item's own image, whole: the digest of its exact base64.
	const sent = outputOf(run, 'Kirin').map((item) => String(ctx.sim.getParams(String(item.json.id))?.image));
	const expected = seeds.map(
		(seed) => `sha256:${createHash('sha256').update(seed.file!.base64).digest('hex')}`,
	);
	expect(sent).toEqual(expected);
}

it(`reads each image as a stream and holds at most ${CONCURRENCY} whole at once while creating`, async () => {
	const before = ctx.sim.counters.tasksCreated;
	await createAll();
	expect(ctx.sim.counters.tasksCreated - before).toBe(ITEMS);
	// The images were on disk (filesystem mode), and never read whole into one buffer.
	expect(reads.whole).toBe(0);
	// Each image streamed twice: once to check and digest it, once into its create's body.
	expect(reads.streams).toBe(2 * ITEMS);
	expect(reads.peak).toBeLessThanOrEqual(CONCURRENCY);
	expect(reads.peakDuringCreates).toBeGreaterThan(1);
});

it(`with a Max Cost, quotes each image too, still at most ${CONCURRENCY} at once`, async () => {
	// Other prompts than the first test's: new videos, each quoted, then created.
	await createAll({ maxCostPerVideo: 5, additionalParameters: '{"cfg_scale": 0.5}' });
	expect(reads.whole).toBe(0);
	// Checked, quoted (the quote's body holds the image as the create's does), created.
	expect(reads.streams).toBe(3 * ITEMS);
	expect(reads.peak).toBeLessThanOrEqual(CONCURRENCY);
});
