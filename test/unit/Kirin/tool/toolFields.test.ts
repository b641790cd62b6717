/**
 * The Kirin node's parameters as n8n resolves them, with n8n's own functions: unchanged for the
 * normal node, and for "Kirin Tool" (the type n8n derives for AI Agents, whose name ends in
 * "Tool") the defaults an agent can use, with the model's fields described.
 */
import {
	NodeHelpers,
	traverseNodeParameters,
	type INode,
	type INodeParameters,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { Kirin } from '../../../../nodes/Kirin/Kirin.node';
import { properties as withoutToolFields } from '../../../../nodes/Kirin/actions/operations';

const normal = new Kirin().description;
// What n8n's convertNodeToAiTool changes that matters for parameters: the name.
const tool: INodeTypeDescription = { ...normal, name: `${normal.name}Tool` };

function resolve(type: INodeTypeDescription, values: INodeParameters, properties = type.properties) {
	const node: INode = {
		id: 'n',
		name: 'Kirin',
		type: `n8n-nodes-kirin.${type.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: values,
	};
	return NodeHelpers.getNodeParameters(properties, values, true, false, node, type) ?? {};
}

describe('the normal Kirin node', () => {
	it.each([
		{ operation: 'create' },
		{ operation: 'create', imageSource: 'url', imageUrl: 'https://x.test/a.png', prompt: 'p' },
		{ operation: 'create', waitForCompletion: true, waitMethod: 'pause', download: true },
		{ operation: 'getStatus', download: true, binaryPropertyOutput: 'video' },
		{ operation: 'wait' },
	])('resolves %j exactly as without the tool fields', (values) => {
		expect(resolve(normal, values)).toEqual(resolve(normal, values, withoutToolFields));
	});
});

describe('Kirin Tool', () => {
	it('creates from a URL the model gives, waits, and offers no binary, pause or download', () => {
		const parameters = resolve(tool, { operation: 'create' });
		expect(parameters).toMatchObject({
			operation: 'create',
			imageSource: 'url',
			imageUrl: expect.stringContaining("$fromAI('Image_URL'"),
			prompt: expect.stringContaining("$fromAI('Prompt'"),
			waitForCompletion: true,
			toolDescription: expect.stringContaining('videoUrl'),
		});
		for (const absent of ['binaryPropertyName', 'waitMethod', 'download', 'binaryPropertyOutput']) {
			expect(parameters).not.toHaveProperty(absent);
		}
		const imageSource = tool.properties.find(
			(property) => property.name === 'imageSource' && property.displayOptions?.show?.['@tool'],
		);
		expect(imageSource?.options?.map((option) => ('value' in option ? option.value : ''))).toEqual([
			'url',
			'base64',
		]);
	});

	it('gives the model two string arguments, each with a description it can act on', () => {
		const collected: Parameters<typeof traverseNodeParameters>[1] = [];
		traverseNodeParameters(resolve(tool, { operation: 'create' }), collected);
		expect(collected.map(({ key, type }) => ({ key, type }))).toEqual([
			{ key: 'Image_URL', type: 'string' },
			{ key: 'Prompt', type: 'string' },
		]);
		for (const argument of collected) expect(argument.description!.length).toBeGreaterThan(40);
	});

	it('takes a base64 image from the model when Image Source is Base64', () => {
		const collected: Parameters<typeof traverseNodeParameters>[1] = [];
		traverseNodeParameters(resolve(tool, { operation: 'create', imageSource: 'base64' }), collected);
		expect(collected.map(({ key }) => key)).toEqual(['Image_Base64', 'Prompt']);
		expect(collected[0].description).toMatch(/base64 string/);
	});

	it('takes an end image URL from the model when End Image Source is URL; none by default', () => {
		const collected: Parameters<typeof traverseNodeParameters>[1] = [];
		traverseNodeParameters(resolve(tool, { operation: 'create', endImageSource: 'url' }), collected);
		expect(collected.map(({ key }) => key)).toEqual(['Image_URL', 'Prompt', 'End_Image_URL']);
		expect(collected[2].description).toMatch(/end on/);
		expect(resolve(tool, { operation: 'create' }).endImageSource).toBe('none');
		const endSource = tool.properties.find(
			(property) => property.name === 'endImageSource' && property.displayOptions?.show?.['@tool'],
		);
		expect(endSource?.options?.map((option) => ('value' in option ? option.value : ''))).toEqual([
			'none',
			'url',
		]);
	});

	it.each(['getStatus', 'wait'])('%s takes the task ID from the model and downloads nothing', (operation) => {
		const parameters = resolve(tool, { operation });
		expect(parameters.taskId).toEqual(expect.stringContaining("$fromAI('Task_ID'"));
		expect(parameters).not.toHaveProperty('download');
		expect(parameters.toolDescription).toEqual(expect.stringContaining('task ID'));
	});

	it("describes itself to the model with its own text, not n8n's generic one", () => {
		const parameters = resolve(tool, { operation: 'create' });
		const node = { parameters } as unknown as INode;
		expect(NodeHelpers.getToolDescriptionForNode(node, { description: tool } as never)).toBe(
			parameters.toolDescription,
		);
	});
});
