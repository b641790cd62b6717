import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { randomBytes } from 'node:crypto';

import { makePng } from '../fixtures/images';
import { KirinSimulator } from '../simulator';
import type { SeedItem } from '../support/testNodes';

/** A new key per run: nothing to find in the repository, and unique in every output it must not reach. */
export const API_KEY = `sk-test-${randomBytes(12).toString('hex')}`;

/** Polls every 0.1–0.2 s so tests follow the simulator's quick clock. */
export const FAST_POLLING = { pollFirstSeconds: 0.1, pollMaxSeconds: 0.2, requestTimeoutSeconds: 5 };

/** Create (or Wait) that waits for the video and downloads it into the `video` binary field. */
export const waitAndDownload = {
	waitForCompletion: true,
	timeLimitMinutes: 1,
	download: true,
	binaryPropertyOutput: 'video',
};

export interface EngineContext {
	sim: KirinSimulator;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

/** One simulator per test file, fresh counters and faults per test. */
export function useSimulator(options: ConstructorParameters<typeof KirinSimulator>[0] = {}): EngineContext {
	const context = {} as EngineContext;
	beforeAll(async () => {
		context.sim = new KirinSimulator({
			apiKey: API_KEY,
			queuedMs: 30,
			generationMs: 200,
			videoBytes: 96 * 1024,
			...options,
		});
		const baseUrl = await context.sim.start({ port: 0, host: '127.0.0.1' });
		context.credentials = { kirinApi: { apiKey: API_KEY, baseUrl } };
	});
	beforeEach(() => {
		context.sim.clearFaults();
		context.sim.resetCounters();
		context.sim.resetQuotes();
		context.sim.setDuplicateExternalIds();
		context.sim.setGenerationMs(options.generationMs ?? 200);
		context.sim.setQueuedMs(options.queuedMs ?? 30);
	});
	afterAll(async () => await context.sim.stop());
	return context;
}

export const PNG_640x480 = makePng(640, 480);

export function imageItem(
	json: Record<string, unknown> = {},
	bytes: Buffer = PNG_640x480,
	fileName = 'product.png',
): SeedItem {
	return { json, file: { base64: bytes.toString('base64'), fileName, mimeType: 'image/png' } };
}

export function createParameters(
	overrides: INodeParameters = {},
	options: INodeParameters = {},
): INodeParameters {
	return {
		operation: 'create',
		imageSource: 'binary',
		binaryPropertyName: 'data',
		prompt: 'The camera circles the product',
		duration: '5',
		...overrides,
		options: { ...FAST_POLLING, ...options },
	};
}
