/**
 * An AI Agent uses the Kirin node as a tool, in a real n8n 2.41: n8n's own AI Agent with its
 * OpenAI Chat Model, whose credential's Base URL points at a scripted OpenAI-compatible model
 * (test/e2e/fakeOpenAi.ts). The model reads the request, calls the Kirin tool with the image and
 * the prompt it chose, then answers with the video URL it finds in the tool's result.
 */
import {
	apiTask,
	type E2eStack,
	everythingSaid,
	type Execution,
	output,
	readExample,
	SIMULATOR_KEY,
	startStack,
	type Workflow,
} from './stack';
import { randomBytes } from 'node:crypto';

import { type ChatRequest, type FakeOpenAi, type ModelTurn, startFakeOpenAi, textOf } from './fakeOpenAi';

// A key per run, for the fake model's credential: it must appear nowhere either.
const OPENAI_KEY = `sk-openai-${randomBytes(8).toString('hex')}`;
const TOOL_NODE = 'Make Video';

let stack: E2eStack;
let model: FakeOpenAi;

/** The prompt the model writes for a photo: its own words, so the test can tell them apart. */
function promptFor(imageUrl: string): string {
	const product = /\/samples\/([a-z]+)-/.exec(imageUrl)?.[1] ?? 'product';
	return `The ${product} turns slowly under warm studio light, the camera pushes in`;
}

/**
 * The model's part: first call the one tool it is offered, once per photo URL in the user's
 * message; once the tool results are in, answer with the video URLs found in them.
 */
function modelScript(request: ChatRequest): ModelTurn {
	const results = request.messages.filter((message) => message.role === 'tool');
	if (results.length === 0) {
		const [tool, ...more] = request.tools ?? [];
		if (!tool || more.length > 0) throw new Error(`expected one tool, got ${request.tools?.length ?? 0}`);
		const user = request.messages.find((message) => message.role === 'user');
		const urls = textOf(user ?? { role: 'user' }).match(/https?:\/\/[^\s]+?\.png/g) ?? [];
		if (urls.length === 0) throw new Error('no photo URL in the user message');
		return {
			toolCalls: urls.map((url) => ({
				name: tool.function.name,
				arguments: { Image_URL: url, Prompt: promptFor(url) },
			})),
		};
	}
	const videos = results.map((result) => {
		const tasks = JSON.parse(textOf(result)) as Array<{ videoUrl?: string }>;
		return tasks[0]?.videoUrl ?? `(no video: ${textOf(result)})`;
	});
	return { content: `Your video is ready: ${videos.join(' and ')}` };
}

/** The example workflow, wired to the fake model's credential, optionally with another request. */
async function importAgentWorkflow(credential: { id: string; name: string }, text?: string) {
	const workflow: Workflow = readExample('ai-agent-tool.json', stack);
	for (const node of workflow.nodes as Array<Workflow['nodes'][number] & { credentials?: object }>) {
		if (node.name === 'OpenAI Chat Model') node.credentials = { openAiApi: credential };
		if (node.name === 'AI Agent' && text) node.parameters.text = text;
	}
	return await stack.importWorkflow(workflow);
}

/** A task as the tool returned it to the agent. */
type ToolResult = { json: Record<string, unknown> & { id: string; videoUrl?: string }; binary?: unknown };

/** What the Kirin tool returned to the agent, one entry per call (n8n logs it as `ai_tool`). */
function toolResults(execution: Execution): ToolResult[] {
	const runs = (execution.data.resultData.runData[TOOL_NODE] ?? []) as Array<{
		data: { ai_tool: ToolResult[][] };
	}>;
	return runs.map((run) => run.data.ai_tool[0][0]);
}

let credential: { id: string; name: string };

beforeAll(async () => {
	stack = await startStack({ simulator: { queuedMs: 200, generationMs: 1000 } });
	model = await startFakeOpenAi(modelScript);
	const created = await stack.session.request('POST', '/rest/credentials', {
		name: 'OpenAI (fake model)',
		type: 'openAiApi',
		data: { apiKey: OPENAI_KEY, url: model.baseUrl, header: false },
	});
	credential = { id: String(created.id), name: 'OpenAI (fake model)' };
}, 240_000);

afterAll(async () => {
	await model?.stop();
	await stack?.stop();
});

beforeEach(() => {
	model.requests.length = 0;
});

it('the agent calls Kirin with the arguments the model chose and answers with the video URL', async () => {
	const workflow = await importAgentWorkflow(credential);
	const created = stack.simulator.counters.tasksCreated;
	const execution = await stack.finished(await stack.run(workflow.id, 'Start'));
	expect(execution.data.resultData.error).toBeUndefined();
	expect(execution.status).toBe('success');

	// n8n asked the model twice, over Chat Completions without streaming, with the key as Bearer.
	expect(model.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'POST /v1/chat/completions',
		'POST /v1/chat/completions',
	]);
	for (const request of model.requests) {
		expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
		expect(request.body!.stream ?? false).toBe(false);
	}

	// The tool as the model saw it: our description and two described string arguments.
	const [tool] = model.requests[0].body!.tools!;
	expect(tool.function.name).toBe('Make_Video');
	expect(tool.function.description).toContain('"videoUrl" is the link to the MP4');
	const { properties, required } = tool.function.parameters;
	expect(Object.keys(properties!).sort()).toEqual(['Image_URL', 'Prompt']);
	expect(required!.sort()).toEqual(['Image_URL', 'Prompt']);
	expect(properties!.Image_URL).toMatchObject({
		type: 'string',
		description: expect.stringContaining('PNG or JPEG'),
	});
	expect(properties!.Prompt).toMatchObject({ type: 'string', description: expect.stringContaining('video') });

	// Kirin was called once, with exactly the image and prompt the model chose.
	const imageUrl = `${stack.simulatorUrl}/samples/lamp-1280x720.png`;
	expect(stack.simulator.counters.tasksCreated - created).toBe(1);
	const [result, ...more] = toolResults(execution);
	expect(more).toHaveLength(0);
	const task = apiTask(stack, result.json.id);
	expect(stack.simulator.getParams(task.id)).toMatchObject({ image: imageUrl, prompt: promptFor(imageUrl) });

	// The tool waited for the video and returned the task with its URL, and no file.
	const videoUrl = task.output[0].content[0].url;
	expect(result.json).toMatchObject({ id: task.id, status: 'completed', videoUrl });
	expect(result.binary).toBeUndefined();
	const toolMessage = model.requests[1].body!.messages.find((message) => message.role === 'tool')!;
	expect(JSON.parse(textOf(toolMessage))).toEqual([expect.objectContaining({ id: task.id, videoUrl })]);

	// The agent's answer carries the video URL of that task.
	const [answer] = output(execution, 'AI Agent');
	expect(answer.json.output).toBe(`Your video is ready: ${videoUrl}`);

	const said = everythingSaid(stack, execution);
	expect(said).not.toContain(SIMULATOR_KEY);
	expect(said).not.toContain(OPENAI_KEY);
});

it('two tool calls in one turn make two videos, each from its own image and prompt', async () => {
	const urls = ['bag-720x1280.png', 'shoe-1080x1080.png'].map(
		(file) => `${stack.simulatorUrl}/samples/${file}`,
	);
	const workflow = await importAgentWorkflow(
		credential,
		`Make a video of each of these photos: ${urls[0]} and ${urls[1]}. Reply with the links.`,
	);
	const execution = await stack.finished(await stack.run(workflow.id, 'Start'));
	expect(execution.data.resultData.error).toBeUndefined();

	// Two calls of one node in one execution: each is its own task, not the first one again.
	const results = toolResults(execution);
	expect(results).toHaveLength(2);
	const tasks = results.map((result) => apiTask(stack, result.json.id));
	expect(new Set(tasks.map((task) => task.id)).size).toBe(2);
	expect(new Set(results.map((result) => result.json.externalTaskId)).size).toBe(2);
	tasks.forEach((task, index) => {
		expect(stack.simulator.getParams(task.id)).toMatchObject({
			image: urls[index],
			prompt: promptFor(urls[index]),
		});
		expect(results[index].json).toMatchObject({
			status: 'completed',
			videoUrl: task.output[0].content[0].url,
		});
	});

	const [answer] = output(execution, 'AI Agent');
	const videoUrls = tasks.map((task) => task.output[0].content[0].url);
	expect(answer.json.output).toBe(`Your video is ready: ${videoUrls[0]} and ${videoUrls[1]}`);
	expect(everythingSaid(stack, execution)).not.toContain(SIMULATOR_KEY);
});
