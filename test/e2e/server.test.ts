/**
 * The package inside a real n8n server (2.41.1, or 1.123.81 with KIRIN_N8N_VERSION=1.x): loaded
 * as a community package, listed with its icons, its credential tested by n8n, its example
 * workflows executed by the server, and the video stored by n8n's binary-data service in
 * filesystem mode.
 */
import {
	apiTask,
	type E2eStack,
	everythingSaid,
	output,
	readExample,
	readPackageFile,
	SIMULATOR_KEY,
	startStack,
} from './stack';
import { fileExists } from '../support/files';
import { startImpostor, unusedUrl, WRONG_BASE_URL_REPLIES } from '../support/impostors';

/** The parts of /types/nodes.json and /types/credentials.json entries these tests read. */
interface TypeEntry {
	name: string;
	iconUrl: { light: string; dark: string };
	properties: Array<{ name: string; options?: Array<{ value: string }> }>;
}

let stack: E2eStack;

beforeAll(async () => {
	stack = await startStack({ simulator: { queuedMs: 300, generationMs: 2000, videoBytes: 3 * 1024 * 1024 } });
}, 240_000);

afterAll(async () => {
	await stack?.stop();
});

describe('n8n loads the package', () => {
	it('lists the Kirin and Kirin Trigger nodes with their descriptions and our icons', async () => {
		const nodes: TypeEntry[] = await stack.session.request('GET', '/types/nodes.json');
		const kirin = nodes.find((node) => node.name === 'n8n-nodes-kirin.kirin');
		const trigger = nodes.find((node) => node.name === 'n8n-nodes-kirin.kirinTrigger');
		expect(kirin).toMatchObject({
			displayName: 'Kirin',
			usableAsTool: true,
			description: expect.stringContaining('video'),
			credentials: [{ name: 'kirinApi', required: true, testedBy: 'kirinApiTest' }],
		});
		// n8n adds its own "Custom API Call" to nodes whose credential has `authenticate`.
		const operations = kirin!.properties.find((p) => p.name === 'operation')?.options ?? [];
		expect(operations.map((o) => o.value)).toEqual(
			expect.arrayContaining(['create', 'estimateCost', 'getStatus', 'wait']),
		);
		expect(trigger).toMatchObject({
			displayName: 'Kirin Trigger',
			group: ['trigger'],
			inputs: [],
			webhooks: [expect.objectContaining({ httpMethod: 'POST', path: 'kirin' })],
		});

		for (const node of [kirin!, trigger!]) {
			for (const theme of ['light', 'dark'] as const) {
				const response = await fetch(`${stack.n8nUrl}/${node.iconUrl[theme]}`);
				expect(response.status).toBe(200);
				expect(response.headers.get('content-type')).toContain('image/svg+xml');
				const served = Buffer.from(await response.arrayBuffer());
				const folder = node === kirin ? 'Kirin' : 'KirinTrigger';
				const base = node === kirin ? 'kirin' : 'kirinTrigger';
				const file = theme === 'light' ? `${base}.svg` : `${base}.dark.svg`;
				expect(served.equals(readPackageFile(`nodes/${folder}/${file}`))).toBe(true);
			}
		}
	});

	it('lists the Kirin API credential type with its test and icon', async () => {
		const types: TypeEntry[] = await stack.session.request('GET', '/types/credentials.json');
		const credential = types.find((type) => type.name === 'kirinApi');
		expect(credential).toMatchObject({
			displayName: 'Kirin API',
			supportedNodes: expect.arrayContaining(['n8n-nodes-kirin.kirin', 'n8n-nodes-kirin.kirinTrigger']),
		});
		const names = credential!.properties.map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['apiKey', 'baseUrl', 'callbackSecret']));
		const icon = await fetch(`${stack.n8nUrl}/${credential!.iconUrl.light}`);
		expect(icon.status).toBe(200);
	});

	it("tells a good key from a wrong one, and a wrong Base URL from both, through n8n's credential test", async () => {
		const test = (apiKey: string, baseUrl = stack.apiBaseUrl) =>
			stack.session.request('POST', '/rest/credentials/test', {
				credentials: {
					id: stack.credential.id,
					name: 'Kirin API',
					type: 'kirinApi',
					data: { apiKey, baseUrl, callbackSecret: '' },
				},
			});
		expect(await test(SIMULATOR_KEY)).toEqual({
			status: 'OK',
			message: 'Connection successful: Kirin accepted the API key.',
		});
		const wrong = await test('sk-wrong-key');
		expect(wrong).toEqual({
			status: 'Error',
			message: 'The API key was rejected (HTTP 401): copy it again from your Kirin account.',
		});

		const checkBaseUrl = "check the Base URL (Kirin's API is at https://cloud.vtrix.ai).";
		const html = await startImpostor(WRONG_BASE_URL_REPLIES.htmlNotFound);
		const otherService = await startImpostor(WRONG_BASE_URL_REPLIES.otherServiceJson);
		try {
			expect(await test(SIMULATOR_KEY, html.url)).toEqual({
				status: 'Error',
				message: `${html.url} answered with a web page (HTTP 404), not the Kirin API: ${checkBaseUrl}`,
			});
			expect(await test(SIMULATOR_KEY, otherService.url)).toEqual({
				status: 'Error',
				message: `${otherService.url} answered HTTP 404 with JSON that is not the Kirin API's: ${checkBaseUrl}`,
			});
			// n8n really sent the probe there: the verdict is about that server's answer.
			expect(html.requests).toEqual([expect.objectContaining({ method: 'GET' })]);
			expect(otherService.requests).toHaveLength(1);
		} finally {
			await Promise.all([html.stop(), otherService.stop()]);
		}
		const nowhere = await unusedUrl();
		expect(await test(SIMULATOR_KEY, nowhere)).toEqual({
			status: 'Error',
			message: `Nothing answers at ${nowhere} (connection refused): ${checkBaseUrl}`,
		});
	});
});

describe('the example workflows run in the server', () => {
	it('image to video: a binary image in, a completed task and its video stored by n8n out', async () => {
		const workflow = await stack.importWorkflow(readExample('image-to-video.json', stack));
		const execution = await stack.finished(await stack.run(workflow.id, 'Start'));

		expect(execution.data.resultData.error).toBeUndefined();
		expect(execution.status).toBe('success');
		const [item, ...rest] = output(execution, 'Kirin');
		expect(rest).toHaveLength(0);
		const task = apiTask(stack, item.json.id);
		expect(item.json).toMatchObject({
			id: task.id,
			status: 'completed',
			videoUrl: task.output[0].content[0].url,
		});

		const video = item.binary!.video;
		expect(video).toMatchObject({ mimeType: 'video/mp4', fileName: `${task.id}.mp4` });
		// filesystem mode: n8n wrote the bytes to its storage folder and serves them back.
		expect(video.id).toMatch(/^filesystem(-v2)?:/);
		const stored = await stack.binary(video);
		expect(stored.length).toBe(3 * 1024 * 1024);
		expect(stored.equals(stack.simulator.expectedVideo(task.id))).toBe(true);
		const storageId = video.id.split(':')[1];
		const onDisk = `${stack.userFolder}/.n8n/storage/${storageId}`;
		const legacy = `${stack.userFolder}/.n8n/binaryData/${storageId}`;
		expect(fileExists(onDisk) || fileExists(legacy)).toBe(true);

		expect(everythingSaid(stack, execution)).not.toContain(SIMULATOR_KEY);
	});

	it('end frame: one task whose params hold the End Image and the one model field, exactly', async () => {
		const before = stack.simulator.tasks().length;
		const example = readExample('end-frame.json', stack);
		const kirin = example.nodes.find((node) => node.name === 'Kirin')!.parameters;
		const workflow = await stack.importWorkflow(example);
		const execution = await stack.finished(await stack.run(workflow.id, 'Start'));

		expect(execution.data.resultData.error).toBeUndefined();
		const [item, ...rest] = output(execution, 'Kirin');
		expect(rest).toHaveLength(0);
		expect(stack.simulator.tasks().length - before).toBe(1);
		expect(item.json).toMatchObject({ status: 'completed' });
		expect(item.json).not.toHaveProperty('modelFieldsUnchecked');
		const params = stack.simulator.getParams(String(item.json.id));
		// Exactly the node's own params, the end image and the one model field: nothing else.
		expect(Object.keys(params ?? {}).sort()).toEqual(
			[
				'duration',
				'external_task_id',
				'image',
				'image_tail',
				'negative_prompt',
				'prompt',
				'watermark_info',
			].sort(),
		);
		expect(params).toMatchObject({
			image: kirin.imageUrl,
			image_tail: kirin.endImageUrl,
			negative_prompt: 'blurry, distorted text, extra hands',
		});
		// The spec was asked (the credential's Model Spec URL is the simulator) without the key.
		expect(stack.simulator.specRequests.length).toBeGreaterThan(0);
		expect(stack.simulator.specRequests.every((request) => !request.withAuthorization)).toBe(true);
	});

	it('batch from URLs: three tasks, created once each, all completed, in input order', async () => {
		const before = stack.simulator.tasks().length;
		const workflow = await stack.importWorkflow(readExample('batch-from-urls.json', stack));
		const execution = await stack.finished(await stack.run(workflow.id, 'Start'));

		expect(execution.status).toBe('success');
		const items = output(execution, 'Kirin');
		expect(items).toHaveLength(3);
		expect(stack.simulator.tasks().length - before).toBe(3);
		items.forEach((item, index) => {
			const task = apiTask(stack, item.json.id);
			expect(item.json).toMatchObject({ status: 'completed', externalTaskId: task.external_task_id });
			expect(String(stack.simulator.getParams(task.id)?.image)).toContain(['shoe', 'lamp', 'bag'][index]);
			expect(stack.simulator.counters.tasksPerExternalId[String(item.json.externalTaskId)]).toBe(1);
		});
	});
});
