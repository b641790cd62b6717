// @ts-check
// The gateway's live model spec, as its models host serves it (docs/API.md, "The model spec"):
// `GET /api/v1/skill/models/{model_id}/spec`, no credentials, `{status: {code, message}, data}`.
// The parameters are those the gateway's own CLI names for this model (image, image_tail,
// multi_shot, shot_type, prompt, multi_prompt, camera_control, …), with limits the simulator
// then enforces on every create and quote: a value out of them is a 400, as the gateway's is.

/**
 * @typedef {{ enum?: string[], default?: unknown, min?: number, max?: number, min_length?: number,
 *   max_length?: number, max_items?: number }} Constraints
 * @typedef {{ name: string, path: string, type: string, required: boolean, description: string,
 *   constraints?: Constraints, example?: unknown, children?: SpecParameter[] }} SpecParameter
 */

/** @param {string} name @param {string} type @param {string} description @param {Partial<SpecParameter>} [more] @returns {SpecParameter} */
const param = (name, type, description, more = {}) => ({
	name,
	path: more.path ?? name,
	type,
	required: false,
	description,
	...more,
});

/** @type {SpecParameter[]} */
const PARAMETERS = [
	param('image', 'string', 'First frame: an http(s) URL or bare base64 of a PNG or JPEG', { required: true }),
	param('image_tail', 'string', 'Last frame: an http(s) URL or bare base64 of a PNG or JPEG'),
	param('prompt', 'string', 'What happens in the video', {
		required: true,
		constraints: { max_length: 2500 },
	}),
	param('negative_prompt', 'string', 'What the video should avoid', { constraints: { max_length: 2500 } }),
	param('duration', 'string', 'Length in seconds', { constraints: { enum: ['5', '10'], default: '5' } }),
	param('cfg_scale', 'number', 'How closely the video follows the prompt', {
		constraints: { min: 0, max: 1, default: 0.5 },
	}),
	param('multi_shot', 'boolean', 'Whether the video is cut into several shots', {
		constraints: { default: false },
	}),
	param('shot_type', 'string', 'How the shots are chosen when multi_shot is on', {
		constraints: { enum: ['customize', 'intelligence'], default: 'customize' },
		example: 'intelligence',
	}),
	param('multi_prompt', 'array', 'One prompt per shot, in order, for shot_type customize', {
		constraints: { max_items: 6 },
		example: [{ index: 1, prompt: 'The bottle turns', duration: '5' }],
		children: [
			param('index', 'integer', 'The shot, from 1', {
				path: 'multi_prompt[].index',
				required: true,
				constraints: { min: 1, max: 6 },
			}),
			param('prompt', 'string', "The shot's prompt", {
				path: 'multi_prompt[].prompt',
				required: true,
				constraints: { max_length: 512 },
			}),
			param('duration', 'string', "The shot's length", {
				path: 'multi_prompt[].duration',
				constraints: { enum: ['5', '10'] },
			}),
		],
	}),
	param('camera_control', 'object', 'A preset or custom camera movement', {
		example: { type: 'simple', config: { zoom: 5 } },
		children: [
			param('type', 'string', 'The movement', {
				path: 'camera_control.type',
				required: true,
				constraints: {
					enum: ['simple', 'down_back', 'forward_up', 'right_turn_forward', 'left_turn_forward'],
				},
			}),
			param(
				'config',
				'object',
				'For type simple: exactly one of horizontal, vertical, pan, tilt, roll, zoom',
				{
					path: 'camera_control.config',
					children: ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'].map((axis) =>
						param(axis, 'number', `Camera ${axis}`, {
							path: `camera_control.config.${axis}`,
							constraints: { min: -10, max: 10 },
						}),
					),
				},
			),
		],
	}),
	param('watermark_info', 'object', 'Whether to add a watermark', {
		children: [param('enabled', 'boolean', 'Add the watermark', { path: 'watermark_info.enabled' })],
	}),
	param('callback_url', 'string', 'Where status changes are POSTed'),
	param('external_task_id', 'string', 'Your own ID for the task', { constraints: { max_length: 128 } }),
];

const SPEC_ROUTE = /^\/api\/v1\/skill\/models\/([^/]+)\/spec$/;

/** The spec route's answer for a model: ours, or the gateway's "not found". @param {string} modelId @param {string} model */
function specAnswer(modelId, model) {
	if (modelId !== model)
		return { status: 404, body: { status: { code: 404, message: 'model not found' }, data: null } };
	return {
		status: 200,
		body: {
			status: { code: 0, message: 'success' },
			data: {
				model_id: model,
				name: 'Kling V2.1 Master (image to video)',
				vendor: 'kling',
				type: 'video',
				api: { endpoint: '/model/v1/generation', method: 'POST', headers: { Authorization: 'Bearer <key>' } },
				parameters: PARAMETERS,
				agent_prompt: 'Turn one image (and an optional end frame) into a 5 or 10 second video.',
			},
		},
	};
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why a value breaks its parameter's spec, or null. Types, enums, ranges, lengths, list sizes and
 * required members, at every depth. @param {SpecParameter} spec @param {unknown} value @returns {string | null}
 */
function breaks(spec, value) {
	const c = spec.constraints ?? {};
	const where = spec.path;
	const types = /** @type {Record<string, (v: unknown) => boolean>} */ ({
		string: (v) => typeof v === 'string',
		number: (v) => typeof v === 'number',
		integer: (v) => Number.isInteger(v),
		boolean: (v) => typeof v === 'boolean',
		array: Array.isArray,
		object: isObject,
	});
	if (types[spec.type] && !types[spec.type](value)) return `${where} must be ${spec.type}`;
	if (c.enum && !c.enum.includes(String(value))) return `${where} must be one of ${c.enum.join(', ')}`;
	if (
		typeof value === 'number' &&
		((c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max))
	)
		return `${where} out of range`;
	if (typeof value === 'string') {
		const length = [...value].length;
		if (
			(c.min_length !== undefined && length < c.min_length) ||
			(c.max_length !== undefined && length > c.max_length)
		)
			return `${where} length invalid`;
	}
	if (Array.isArray(value) && c.max_items !== undefined && value.length > c.max_items)
		return `${where} has too many items`;
	const members = Array.isArray(value) ? value : isObject(value) ? [value] : [];
	for (const member of spec.children?.length ? members : []) {
		if (!isObject(member)) return `${where} entries must be objects`;
		const problem = breaksAll(spec.children ?? [], member);
		if (problem) return problem;
	}
	return null;
}

/**
 * Checks params against the spec's parameters: required ones present, declared ones within their
 * limits. Undeclared ones pass (the gateway forwards them). Images are checked by routes.js.
 * @param {SpecParameter[]} parameters @param {Record<string, unknown>} params @returns {string | null}
 */
function breaksAll(parameters, params) {
	for (const spec of parameters) {
		const value = params[spec.name];
		if (value === undefined || value === null) {
			if (spec.required) return `${spec.path} missing`;
			continue;
		}
		if (spec.name === 'image' || spec.name === 'image_tail') continue;
		const problem = breaks(spec, value);
		if (problem) return problem;
	}
	return null;
}

/** Why a create's params break the model's spec, or null. @param {Record<string, unknown>} params */
function checkAgainstSpec(params) {
	return breaksAll(PARAMETERS, params);
}

module.exports = { SPEC_ROUTE, specAnswer, checkAgainstSpec, PARAMETERS };
