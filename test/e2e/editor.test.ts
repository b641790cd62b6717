/**
 * The editor as a user sees it: Debian's Chromium, driven by playwright-core, logs in to the real
 * n8n, opens the demo workflow and the Kirin node, and checks for each operation which fields
 * show and which hide; then opens the demo's finished execution and plays the Kirin node's video
 * in n8n's binary viewer (the simulator renders playable clips here, as in `npm run dev`). The
 * screenshots it takes are the ones README.md and docs/ show (`npm run screenshots` writes them to
 * docs/screenshots/; a plain test run to .tmp/).
 */
import { chromium, type Browser, type Page } from 'playwright-core';

import { OWNER } from '../../scripts/lib/n8nServer';
import { type E2eStack, readExample, startStack } from './stack';
import { makeDir, readFile, repoPath } from '../support/files';
import { updateScreenshots } from '../support/testFlags';

// Flags from the machine notes: without the background-networking ones Chromium keeps dialling
// Google's hosts, which this machine's closed network refuses.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const SHOTS = repoPath(updateScreenshots ? 'docs/screenshots' : '.tmp/screenshots');

let stack: E2eStack;
let browser: Browser;
let page: Page;
let demoWorkflowId: string;
let demoExecutionId: string;
let triggerWorkflowId: string;
let agentWorkflowId: string;

beforeAll(async () => {
	makeDir(SHOTS);
	stack = await startStack({ simulator: { queuedMs: 300, generationMs: 1500, video: 'mp4' } });
	demoWorkflowId = (await stack.importWorkflow(readExample('image-to-video.json', stack))).id;
	demoExecutionId = (await stack.finished(await stack.run(demoWorkflowId, 'Start'))).id;
	triggerWorkflowId = (await stack.importWorkflow(readExample('fire-and-forget-trigger.json', stack))).id;
	agentWorkflowId = (await stack.importWorkflow(readExample('ai-agent-tool.json', stack))).id;
	browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
}, 240_000);

afterAll(async () => {
	await browser?.close();
	await stack?.stop();
});

async function shot(name: string): Promise<string> {
	const file = `${SHOTS}/${name}.png`;
	await page.screenshot({ path: file });
	return file;
}

function field(name: string) {
	return page.locator(`[data-test-id="parameter-input-${name}"]`);
}

/** Picks an option of an "options" parameter the way a user does: open the list, click the entry. */
async function choose(parameter: string, option: string) {
	await field(parameter).click();
	// An entry's text is its name followed by its description.
	await page
		.locator('li.el-select-dropdown__item:visible')
		.filter({ hasText: new RegExp(`^\\s*${option}`) })
		.first()
		.click();
}

/** Waits for a locator to show, failing with its name (playwright's own expect is not jest's). */
async function visible(locator: ReturnType<Page['locator']>) {
	await locator.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
		throw new Error(`${locator.toString()} is not visible`);
	});
}

async function expectFields(shown: string[], hidden: string[]) {
	for (const name of shown) await visible(field(name).first());
	// n8n animates fields out; wait for each to be gone (absent or invisible) rather than count at once.
	for (const name of hidden) {
		await field(name)
			.first()
			.waitFor({ state: 'hidden', timeout: 10_000 })
			.catch(() => {
				throw new Error(`parameter "${name}" is still shown`);
			});
	}
}

/** What the test reads of an HTML video element (the tests compile without the DOM's types). */
interface VideoElement {
	paused: boolean;
	currentTime: number;
	duration: number;
	videoWidth: number;
	videoHeight: number;
	error: { code: number } | null;
	play(): Promise<void>;
	addEventListener(type: 'timeupdate', listener: () => void): void;
	removeEventListener(type: 'timeupdate', listener: () => void): void;
}

/** Opens a workflow in the editor and a node's settings, as a user does: a double click on it. */
async function openNode(workflowId: string, nodeName: string) {
	await page.goto(`${stack.n8nUrl}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
	await node.waitFor({ state: 'visible', timeout: 60_000 });
	await node.dblclick();
	await page.locator('[data-test-id=ndv]').waitFor({ state: 'visible' });
}

function isPng(file: string): boolean {
	const bytes = readFile(file);
	return bytes.length > 10_000 && bytes.readUInt32BE(0) === 0x89504e47;
}

describe('the n8n editor in Chromium', () => {
	it('logs in and shows the demo workflow with the Kirin node', async () => {
		await page.goto(`${stack.n8nUrl}/signin`);
		await page.fill('input[name=emailOrLdapLoginId]', OWNER.email);
		await page.fill('input[name=password]', OWNER.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL((url) => !url.pathname.includes('signin'));

		await page.goto(`${stack.n8nUrl}/workflow/${demoWorkflowId}`);
		const kirin = page.locator('[data-test-id=canvas-node][data-node-name="Kirin"]');
		await kirin.waitFor({ state: 'visible', timeout: 60_000 });
		// Our icon, served by n8n, drawn on the canvas node.
		await visible(kirin.locator('img[src*="n8n-nodes-kirin"]').first());
		expect(isPng(await shot('workflow'))).toBe(true);
	});

	it('Create shows the image, prompt, duration and wait fields, and nothing of the other operations', async () => {
		await page.locator('[data-test-id=canvas-node][data-node-name="Kirin"]').dblclick();
		await page.locator('[data-test-id=ndv]').waitFor({ state: 'visible' });
		await expectFields(
			[
				'operation',
				'imageSource',
				'binaryPropertyName',
				'prompt',
				'duration',
				'waitForCompletion',
				'waitMethod',
				'timeLimitMinutes',
				'onTimeout',
				'download',
				'binaryPropertyOutput',
			],
			['imageUrl', 'imageBase64', 'lookUpBy', 'taskId'],
		);
		expect(isPng(await shot('kirin-create'))).toBe(true);

		await choose('imageSource', 'URL');
		await expectFields(['imageUrl'], ['binaryPropertyName', 'imageBase64']);
		await choose('imageSource', 'Base64');
		await expectFields(['imageBase64'], ['binaryPropertyName', 'imageUrl']);

		// Without waiting, the wait settings go away.
		await field('waitForCompletion').locator('.el-switch__core').click();
		await expectFields(['prompt'], ['waitMethod', 'timeLimitMinutes', 'onTimeout', 'download']);
	});

	it("Create lists the model's own fields from its live spec (the simulator's), an enum with its choices", async () => {
		await expectFields(['endImageSource'], ['endImageUrl', 'endImageBase64']);
		await choose('endImageSource', 'URL');
		await expectFields(['endImageUrl'], ['endImageBase64', 'endImageBinaryPropertyName']);
		// n8n's resource mapper asks the node for the list: the node asks the credential's Model Spec URL.
		// Each mapper field's input is named after the spec's parameter.
		const mapper = page.locator('[data-test-id=resource-mapper-container]');
		await mapper.scrollIntoViewIfNeeded({ timeout: 20_000 });
		const shotType = mapper.locator('[data-test-id=parameter-input-shot_type]');
		await shotType.scrollIntoViewIfNeeded({ timeout: 20_000 });
		await visible(shotType);
		for (const name of ['negative_prompt', 'cfg_scale', 'multi_prompt', 'camera_control'])
			await visible(mapper.locator(`[data-test-id=parameter-input-${name}]`));
		await visible(page.getByText('0 to 1; default 0.5', { exact: false }).first());
		expect(stack.simulator.specRequests.length).toBeGreaterThan(0);
		expect(stack.simulator.specRequests.every((request) => !request.withAuthorization)).toBe(true);
		expect(isPng(await shot('kirin-model-fields'))).toBe(true);

		await shotType.click();
		const choices = page.locator('li.el-select-dropdown__item:visible');
		await visible(choices.filter({ hasText: /^\s*intelligence/ }).first());
		await visible(choices.filter({ hasText: /^\s*customize/ }).first());
		await choices
			.filter({ hasText: /^\s*intelligence/ })
			.first()
			.click();

		// Saved, the workflow keeps the spec the editor loaded, rules and all: what a run checks by
		// when the models host cannot be reached then.
		await page.keyboard.press('Escape');
		const saved = page.waitForResponse(
			(response) =>
				response.url().includes(`/rest/workflows/${demoWorkflowId}`) &&
				response.request().method() === 'PATCH',
		);
		await page.keyboard.press('Control+s');
		await saved;
		type Mapper = { value: Record<string, unknown>; schema: Array<{ id: string }> };
		const workflow: { nodes: Array<{ name: string; parameters: { modelFields: Mapper } }> } =
			await stack.session.request('GET', `/rest/workflows/${demoWorkflowId}`);
		const modelFields = workflow.nodes.find((node) => node.name === 'Kirin')!.parameters.modelFields;
		expect(modelFields.value).toMatchObject({ shot_type: 'intelligence' });
		expect(modelFields.schema.find((entry) => entry.id === 'shot_type')).toMatchObject({
			type: 'options',
			kirinRule: { name: 'shot_type', enum: ['customize', 'intelligence'] },
		});
		await openNode(demoWorkflowId, 'Kirin');
	});

	it('Estimate Cost shows what a video is made of and its options, and nothing of waiting', async () => {
		await choose('operation', 'Estimate Cost');
		await expectFields(
			['imageSource', 'prompt', 'duration'],
			['waitForCompletion', 'timeLimitMinutes', 'onTimeout', 'download', 'lookUpBy', 'taskId'],
		);
	});

	it('Get Status shows the lookup fields, by task ID or by external ID', async () => {
		await choose('operation', 'Get Status');
		await expectFields(
			['lookUpBy', 'taskId', 'download'],
			['imageSource', 'prompt', 'duration', 'waitForCompletion', 'timeLimitMinutes', 'externalTaskId'],
		);
		expect(isPng(await shot('kirin-get-status'))).toBe(true);
		await choose('lookUpBy', 'External Task ID');
		await expectFields(['externalTaskId'], ['taskId']);
	});

	it('Wait shows the task ID and the time-out settings', async () => {
		await choose('operation', 'Wait');
		await expectFields(
			['taskId', 'timeLimitMinutes', 'onTimeout', 'download'],
			['lookUpBy', 'imageSource', 'prompt', 'waitForCompletion'],
		);
		expect(isPng(await shot('kirin-wait'))).toBe(true);
	});

	it('the Kirin Trigger tells the user where its URL goes, and offers its settings', async () => {
		await openNode(triggerWorkflowId, 'Kirin Trigger');
		await expectFields(['events', 'verify', 'requireToken', 'download'], ['prompt', 'operation']);
		await visible(page.getByText('Callback URL', { exact: false }).first());
		expect(isPng(await shot('kirin-trigger'))).toBe(true);
	});

	it('Kirin Tool on an AI Agent: the model fills in image URL and prompt; no file, pause or download', async () => {
		await openNode(agentWorkflowId, 'Make Video');
		await expectFields(
			['toolDescription', 'operation', 'imageSource', 'duration', 'waitForCompletion', 'timeLimitMinutes'],
			['binaryPropertyName', 'imageUrl', 'prompt', 'waitMethod', 'download', 'binaryPropertyOutput'],
		);
		// Image URL and Prompt show as n8n's "defined automatically by the model" fields, not as inputs.
		const byModel = page.getByText('Defined automatically by the', { exact: false });
		await visible(byModel.nth(1));
		expect(await byModel.count()).toBe(2);
		expect(isPng(await shot('kirin-tool'))).toBe(true);
	});

	it("plays the demo's finished video in n8n's binary viewer", async () => {
		await page.goto(`${stack.n8nUrl}/workflow/${demoWorkflowId}/executions/${demoExecutionId}`);
		const kirin = page.locator('[data-test-id=canvas-node][data-node-name="Kirin"]');
		await kirin.waitFor({ state: 'visible', timeout: 60_000 });
		await kirin.dblclick();
		const output = page.locator('[data-test-id=ndv] [data-test-id=output-panel]');
		await output.locator('[data-test-id=ndv-view-binary-data]').click();
		const video = page.locator('.binary-data-window video');
		await visible(video);
		// n8n's viewer autoplays; play() makes sure of it whatever the browser's autoplay policy.
		await video.evaluate((element: VideoElement) => element.play());
		// Past 1.5 s of playback, told by the element's own timeupdate events.
		await video.evaluate(
			(element: VideoElement) =>
				new Promise<void>((resolve) => {
					const check = () => {
						if (element.currentTime < 1.5) return;
						element.removeEventListener('timeupdate', check);
						resolve();
					};
					element.addEventListener('timeupdate', check);
					check();
				}),
		);
		const playing = await video.evaluate((element: VideoElement) => ({
			paused: element.paused,
			error: element.error?.code ?? null,
			width: element.videoWidth,
			height: element.videoHeight,
			duration: element.duration,
		}));
		expect(playing).toEqual({ paused: false, error: null, width: 1920, height: 1080, duration: 5 });
		expect(isPng(await shot('video-playing'))).toBe(true);
	});
});

describe("the nodes panel finds Kirin (the codex's categories are ones n8n's panel knows)", () => {
	let panelPage: Page;
	let creator: ReturnType<Page['locator']>;
	// The search field is an <input> carrying the test id itself.
	const search = () => creator.locator('input[data-test-id=node-creator-search-bar]');
	const itemNamed = (name: string) =>
		creator.locator('[data-test-id=node-creator-item-name]').filter({ hasText: new RegExp(`^${name}$`) });

	beforeAll(async () => {
		// A canvas without AI nodes: there n8n's panel hides AI nodes that are not root nodes.
		const start = {
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const empty = await stack.importWorkflow({ name: 'Empty', nodes: [start], connections: {} });
		// A page of its own, signed in here, so these tests run alone too (jest -t).
		panelPage = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		await panelPage.goto(`${stack.n8nUrl}/signin`);
		await panelPage.fill('input[name=emailOrLdapLoginId]', OWNER.email);
		await panelPage.fill('input[name=password]', OWNER.password);
		await panelPage.click('[data-test-id=form-submit-button]');
		await panelPage.waitForURL((url) => !url.pathname.includes('signin'));
		await panelPage.goto(`${stack.n8nUrl}/workflow/${empty.id}`);
		await panelPage
			.locator('[data-test-id=canvas-node]')
			.first()
			.waitFor({ state: 'visible', timeout: 60_000 });
		await panelPage.locator('[data-test-id=node-creator-plus-button]').click();
		creator = panelPage.locator('[data-test-id=node-creator]');
		await visible(creator);
	});

	afterAll(async () => await panelPage?.close());

	it('searching "kirin" in "What happens next?" finds Kirin', async () => {
		await search().fill('kirin');
		await visible(itemNamed('Kirin').first());
	});

	it('the AI section lists Kirin beside the other AI model nodes, and its search finds it', async () => {
		await search().fill('');
		await creator.locator('[data-test-id=node-creator-item-name]').filter({ hasText: /^AI$/ }).click();
		await visible(itemNamed('Google Gemini'));
		await visible(itemNamed('Kirin').first());

		await search().fill('kirin');
		await itemNamed('Google Gemini').waitFor({ state: 'hidden' }); // the search results are in
		await visible(itemNamed('Kirin').first());
		// Not filed as a sub-node of an AI category n8n does not have (the old "Video (sub-nodes)").
		const categories = await creator.locator('[data-test-id=node-creator-category-item]').allInnerTexts();
		expect(categories.filter((text) => text.includes('sub-nodes'))).toEqual([]);
	});
});
