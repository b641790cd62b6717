import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { forgetModelSpecs } from '../../nodes/shared/api/modelSpec';
import { getModelFields } from '../../nodes/Kirin/create/modelFields/loadModelFields';
import { errorOf, kirinWorkflow, outputOf, runWorkflow } from '../support/engine';
import { createParameters, imageItem, useSimulator } from './context';
import { PARAMETERS } from '../simulator/modelParameters';

/**
 * Model Fields: the model's parameters from its live spec (the simulator's models route), checked
 * against the spec before any quote or create, and what happens when the spec cannot be had.
 */

const ctx = useSimulator();

/** The test credential, with the simulator as the models host too. */
function credentials(): Record<string, ICredentialDataDecryptedObject> {
	return { kirinApi: { ...ctx.credentials.kirinApi, modelSpecUrl: ctx.sim.baseUrl } };
}

/** The Model Fields parameter as the editor stores it: the values, and the schema it loaded. */
function mapper(value: Record<string, unknown>, schema: unknown[] = []): INodeParameters {
	return {
		modelFields: {
			mappingMode: 'defineBelow',
			value,
			matchingColumns: [],
			schema,
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		} as unknown as INodeParameters[string],
	};
}

async function create(
	value: Record<string, unknown>,
	options: INodeParameters = {},
	schema: unknown[] = [],
	workflowId?: string,
) {
	const workflow = {
		...kirinWorkflow([imageItem()], createParameters(mapper(value, schema), options)),
		id: workflowId,
	};
	const run = await runWorkflow(workflow, credentials());
	return { items: outputOf(run, 'Kirin'), error: errorOf(run) };
}

function paramsOf(id: unknown): Record<string, unknown> {
	return ctx.sim.createBody(String(id))?.input[0].params as Record<string, unknown>;
}

beforeEach(() => {
	forgetModelSpecs();
	ctx.sim.setSpecFailing(false);
});

describe('Model Fields in the editor: the list from the live spec', () => {
	/** What n8n's resource mapper asks the node for, with the simulator as the models host. */
	async function listed() {
		const requests: unknown[] = [];
		const loadContext = {
			getCredentials: async () => credentials().kirinApi,
			helpers: {
				httpRequest: async (options: { url: string; headers?: unknown }) => {
					requests.push(options);
					return await (await fetch(options.url)).json();
				},
			},
		};
		const result = await getModelFields.call(loadContext as never);
		return { result, requests };
	}

	it('lists every parameter the node has no field for, with its kind, choices, limits and description', async () => {
		const { result, requests } = await listed();
		const ids = result.fields.map((field) => field.id);
		expect(ids).toEqual([
			'negative_prompt',
			'cfg_scale',
			'multi_shot',
			'shot_type',
			'multi_prompt',
			'camera_control',
		]);
		const byId = Object.fromEntries(result.fields.map((field) => [field.id, field]));
		expect(byId.shot_type).toMatchObject({
			type: 'options',
			options: [
				{ name: 'customize', value: 'customize' },
				{ name: 'intelligence', value: 'intelligence' },
			],
		});
		expect(byId.shot_type.displayName).toMatch(/default "customize".*How the shots are chosen/);
		expect(byId.cfg_scale).toMatchObject({ type: 'number' });
		expect(byId.cfg_scale.displayName).toMatch(/0 to 1; default 0\.5/);
		expect(byId.camera_control).toMatchObject({ type: 'object' });
		expect(byId.camera_control.displayName).toMatch(/Members: type \(simple \| down_back.*required\)/);
		expect(byId.multi_prompt.displayName).toMatch(/JSON list; at most 6 entries/);
		// Asked once, and with no key: the spec route takes none.
		expect(requests).toEqual([
			{
				method: 'GET',
				url: expect.stringContaining('/api/v1/skill/models/kirin_v2_1_master_i2v/spec'),
				json: true,
				timeout: 15_000,
			},
		]);
		expect(ctx.sim.specRequests).toEqual([{ modelId: 'kirin_v2_1_master_i2v', withAuthorization: false }]);
		// The editor session asks once: a second listing comes from the cache.
		await listed();
		expect(ctx.sim.specRequests).toHaveLength(1);
	});

	it('says why when the spec cannot be loaded, and points to Additional Parameters', async () => {
		ctx.sim.setSpecFailing(true);
		const { result } = await listed();
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(/model spec could not be loaded: .*503.*Additional Parameters/);
	});
});

describe('Model Fields at run time', () => {
	it('sends the values given, typed as the spec says, and they change the idempotency key and the quote', async () => {
		// One workflow: only what the item asks for tells the keys apart.
		const workflowId = randomUUID();
		const plain = await create({}, {}, [], workflowId);
		const { items, error } = await create(
			{
				shot_type: 'intelligence',
				cfg_scale: '0.3',
				camera_control: '{"type":"simple","config":{"zoom":5}}',
				negative_prompt: null,
			},
			{ maxCostPerVideo: 1 },
			[],
			workflowId,
		);
		expect(error).toBeUndefined();
		const params = paramsOf(items[0].json.id);
		expect(params).toMatchObject({
			shot_type: 'intelligence',
			cfg_scale: 0.3,
			camera_control: { config: { zoom: 5 }, type: 'simple' },
		});
		expect(params).not.toHaveProperty('negative_prompt');
		expect(ctx.sim.quotes.at(-1)?.body.input[0].params).toMatchObject({
			shot_type: 'intelligence',
			cfg_scale: 0.3,
		});
		expect(params.external_task_id).not.toBe(paramsOf(plain.items[0].json.id).external_task_id);
		expect(items[0].json).not.toHaveProperty('modelFieldsUnchecked');
		expect(ctx.sim.specRequests.every((request) => !request.withAuthorization)).toBe(true);
	});

	const outOfBounds: Array<[string, Record<string, unknown>, RegExp]> = [
		[
			'a choice the model does not have',
			{ shot_type: 'random' },
			/"shot_type" is "random": the model takes only customize, intelligence/,
		],
		['a number over the maximum', { cfg_scale: 1.5 }, /"cfg_scale" is 1\.5: the model's maximum is 1/],
		['a number that is not one', { cfg_scale: 'high' }, /"cfg_scale" must be a number/],
		['text over its length', { negative_prompt: 'x'.repeat(2501) }, /at most 2500 characters/],
		[
			'a list over its size',
			{
				multi_prompt: JSON.stringify(
					Array.from({ length: 7 }, (_, i) => ({ index: 1, prompt: `shot ${i}` })),
				),
			},
			/at most 6 entries/,
		],
		['a member out of its choices', { camera_control: { type: 'spin' } }, /camera_control"\.type is "spin"/],
		['a required member missing', { multi_prompt: [{ index: 1 }] }, /multi_prompt"\[0\]\.prompt is missing/],
		['JSON that is not', { camera_control: '{type: simple' }, /must be a JSON object/],
		[
			'a field the spec does not declare',
			{ warp_speed: 9 },
			/"warp_speed", which the model's spec does not declare/,
		],
	];

	it.each(outOfBounds)('%s: refused before any quote or create', async (_name, value, message) => {
		const { error } = await create(value, { maxCostPerVideo: 1 });
		expect(error?.message).toMatch(message);
		expect(error?.message).toContain('[item 0]');
		expect(ctx.sim.requestLog).toHaveLength(0);
	});

	it('with Continue On Fail, only the item out of bounds fails', async () => {
		const run = await runWorkflow(
			kirinWorkflow(
				[imageItem({ shot: 'customize' }), imageItem({ shot: 'sideways' })],
				createParameters(mapper({ shot_type: '={{ $json.shot }}' })),
				{ onError: 'continueRegularOutput' },
			),
			credentials(),
		);
		const items = outputOf(run, 'Kirin');
		expect(paramsOf(items[0].json.id).shot_type).toBe('customize');
		expect(String(items[1].json.error)).toMatch(/"shot_type" is "sideways".*\[item 1\]/);
		expect(ctx.sim.counters.tasksCreated).toBe(1);
	});

	it('refuses a name set in both Model Fields and Additional Parameters', async () => {
		const { error } = await create(
			{ shot_type: 'customize' },
			{ additionalParameters: '{"shot_type": "intelligence"}' },
		);
		expect(error?.message).toMatch(
			/"shot_type" is set both in Model Fields and in Options → Additional Parameters/,
		);
		expect(ctx.sim.requestLog).toHaveLength(0);
	});
});

describe('when the spec route fails at run time', () => {
	beforeEach(() => ctx.sim.setSpecFailing(true));

	it('checks the values against the spec the editor stored with the workflow', async () => {
		const { result } = await (async () => {
			ctx.sim.setSpecFailing(false);
			const fields = await getModelFields.call({
				getCredentials: async () => credentials().kirinApi,
				helpers: { httpRequest: async (options: { url: string }) => await (await fetch(options.url)).json() },
			} as never);
			forgetModelSpecs();
			ctx.sim.setSpecFailing(true);
			return { result: fields };
		})();
		const { error } = await create({ cfg_scale: 3 }, {}, result.fields);
		expect(error?.message).toMatch(/"cfg_scale" is 3: the model's maximum is 1/);
		expect(ctx.sim.counters.tasksCreated).toBe(0);
		const ok = await create({ cfg_scale: 0.2 }, {}, result.fields);
		expect(paramsOf(ok.items[0].json.id).cfg_scale).toBe(0.2);
		expect(ok.items[0].json).not.toHaveProperty('modelFieldsUnchecked');
		// A schema saved without the node's rules (an older editor dropped them): its choices still hold.
		const bare = result.fields.map((field) => ({ ...field, kirinRule: undefined }));
		const refused = await create({ shot_type: "={{ 'side' + 'ways' }}" }, {}, bare);
		expect(refused.error?.message).toMatch(
			/"shot_type" is "sideways": the model takes only customize, intelligence/,
		);
	});

	it('with no stored spec, sends the values as given and says why on the item', async () => {
		const { items, error } = await create({ shot_type: 'intelligence' });
		expect(error).toBeUndefined();
		expect(paramsOf(items[0].json.id).shot_type).toBe('intelligence');
		expect(items[0].json.modelFieldsUnchecked).toMatch(
			/model spec could not be loaded \(.*HTTP 503\).*sent as given/,
		);
	});

	it('Additional Parameters still work, and no model field means no spec is asked', async () => {
		const { items, error } = await create({}, { additionalParameters: '{"shot_type": "intelligence"}' });
		expect(error).toBeUndefined();
		expect(paramsOf(items[0].json.id).shot_type).toBe('intelligence');
		expect(ctx.sim.specRequests).toHaveLength(0);
	});
});

describe("the simulator's spec", () => {
	it('declares the parameters the gateway names for this model', () => {
		expect(PARAMETERS.map((parameter) => parameter.name)).toEqual(
			expect.arrayContaining(['image', 'image_tail', 'shot_type', 'camera_control', 'multi_prompt']),
		);
	});
});
