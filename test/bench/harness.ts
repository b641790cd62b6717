/**
 * What the engine benchmarks share: input items with a real image, the Create-with-Wait
 * parameters at their defaults, and a simulator started and stopped around the work.
 */
import type { INodeParameters } from 'n8n-workflow';

import { createParameters } from '../engine/context';
import { makePng } from '../fixtures/images';
import { KirinSimulator } from '../simulator';

const API_KEY = 'sk-bench';
const IMAGE = makePng(1280, 720).toString('base64');

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function items(count: number) {
	return Array.from({ length: count }, (_, index) => ({
		json: { sku: index },
		file: { base64: IMAGE, fileName: `p${index}.png`, mimeType: 'image/png' },
	}));
}

/**
 * Create with Wait for Completion, everything else at its default (polling, concurrency 10,
 * download): the engine tests' parameters without their fast polling.
 */
export function createAndWait(options: INodeParameters = {}): INodeParameters {
	return { ...createParameters({ waitForCompletion: true, timeLimitMinutes: 10 }), options };
}

export async function withSimulator<T>(
	settings: ConstructorParameters<typeof KirinSimulator>[0],
	work: (sim: KirinSimulator, credentials: { kirinApi: { apiKey: string; baseUrl: string } }) => Promise<T>,
): Promise<T> {
	const sim = new KirinSimulator({ apiKey: API_KEY, ...settings });
	const baseUrl = await sim.start({ port: 0, host: '127.0.0.1' });
	try {
		return await work(sim, { kirinApi: { apiKey: API_KEY, baseUrl } });
	} finally {
		await sim.stop();
	}
}
