/**
 * The Kirin node in tool mode, in n8n's engine: run under the type name n8n gives it as an AI
 * Agent tool, as the AI Agent v3 has the engine run it. What an agent cannot use (a file in,
 * a file out, a paused execution) gives way to what it can (URLs, a task it can read).
 * test/e2e/agent.test.ts runs it under a real AI Agent.
 */
import type { IRun } from 'n8n-workflow';

import { errorOf, kirinWorkflow, outputOf, runWorkflow, TYPES } from '../support/engine';
import type { SeedItem } from '../support/testNodes';
import { createParameters, imageItem, PNG_640x480, useSimulator } from './context';

const ctx = useSimulator();

// In n8n 2.41 the tool's own fields already hide what a tool cannot use; an n8n without the
// `@tool` display option shows the normal fields, and the run must decide alone.
const TOOL_TYPES = [
	['n8n 2.41', TYPES.kirinTool],
	['an n8n without @tool', TYPES.kirinToolWithoutToolFields],
] as const;

async function runTool(
	type: string,
	seed: SeedItem[],
	parameters: Parameters<typeof kirinWorkflow>[1],
): Promise<IRun> {
	const workflow = kirinWorkflow(seed, parameters);
	workflow.nodes[1].type = type;
	return await runWorkflow(workflow, ctx.credentials);
}

it.each(TOOL_TYPES)(
	'in %s, refuses a binary image, saying what to set, before any request',
	async (_, type) => {
		const run = await runTool(type, [imageItem()], createParameters());
		const error = errorOf(run);
		expect(error?.message).toMatch(/^An AI Agent cannot pass a file to the Kirin tool \[item 0\]/);
		expect(error?.description).toMatch(/^Set Image Source to URL/);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
	},
);

it.each(TOOL_TYPES)(
	'in %s, polls and gives the video URL, never the file, even when set to pause and download',
	async (_, type) => {
		const imageUrl = `${String(ctx.credentials.kirinApi.baseUrl)}/samples/lamp-1280x720.png`;
		const created = await runTool(
			type,
			[{ json: { toolCallId: 'call_1' } }],
			createParameters({
				imageSource: 'url',
				imageUrl,
				waitForCompletion: true,
				waitMethod: 'pause',
				timeLimitMinutes: 1,
				download: true,
			}),
		);
		expect(errorOf(created)).toBeUndefined();
		expect(created.waitTill).toBeUndefined();
		const [item] = outputOf(created, 'Kirin');
		const task = ctx.sim.getTask(String(item.json.id))!;
		const [{ content }] = task.output as Array<{ content: Array<{ url: string }> }>;
		expect(item.json).toMatchObject({ status: 'completed', videoUrl: content[0].url });
		expect(item.binary).toBeUndefined();
		expect(ctx.sim.getParams(task.id)).toMatchObject({ image: imageUrl });

		// Get Status as a tool, asked to download: the task, without the file.
		const looked = await runTool(type, [{ json: {} }], {
			operation: 'getStatus',
			taskId: task.id,
			download: true,
			options: {},
		});
		const [status] = outputOf(looked, 'Kirin');
		expect(status.json).toMatchObject({ id: task.id, status: 'completed' });
		expect(status.binary).toBeUndefined();
		expect(ctx.sim.counters.requests.download ?? 0).toBe(0);
	},
);

it.each(TOOL_TYPES)('in %s, makes the video from a base64 image in Image Base64', async (_, type) => {
	const base64 = PNG_640x480.toString('base64');
	// Image Base64 given by an expression (the model's $fromAI default is checked in toolFields.test.ts).
	const created = await runTool(
		type,
		[{ json: { toolCallId: 'call_b64', image: `data:image/png;base64,${base64}` } }],
		createParameters({
			imageSource: 'base64',
			imageBase64: '={{ $json.image }}',
			waitForCompletion: true,
			timeLimitMinutes: 1,
		}),
	);
	expect(errorOf(created)).toBeUndefined();
	const [item] = outputOf(created, 'Kirin');
	expect(item.json).toMatchObject({ status: 'completed', videoUrl: expect.stringMatching(/^http/) });
	expect(item.binary).toBeUndefined();
	expect(ctx.sim.getParams(String(item.json.id))).toMatchObject({ image: base64 });
});

it.each(TOOL_TYPES)('in %s, sends the end image URL the model gives as image_tail', async (_, type) => {
	const base = String(ctx.credentials.kirinApi.baseUrl);
	const created = await runTool(
		type,
		[{ json: { toolCallId: 'call_end', end: `${base}/samples/lamp-open-1280x720.png` } }],
		createParameters({
			imageSource: 'url',
			imageUrl: `${base}/samples/lamp-1280x720.png`,
			endImageSource: 'url',
			endImageUrl: '={{ $json.end }}',
		}),
	);
	expect(errorOf(created)).toBeUndefined();
	const [item] = outputOf(created, 'Kirin');
	expect(ctx.sim.getParams(String(item.json.id))).toMatchObject({
		image_tail: `${base}/samples/lamp-open-1280x720.png`,
	});
});
