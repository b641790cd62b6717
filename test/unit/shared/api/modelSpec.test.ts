import { modelSpecUrl, parseModelSpec } from '../../../../nodes/shared/api/modelSpec';

describe('parseModelSpec', () => {
	it('reads the parameters with their kinds, limits and children', () => {
		const result = parseModelSpec({
			status: { code: 200, message: 'ok' },
			data: {
				model_id: 'kirin_v2_1_master_i2v',
				name: 'Kling',
				parameters: [
					{ name: 'cfg_scale', type: 'float', constraints: { min: 0, max: 1, default: 0.5 } },
					{ name: 'shot_type', type: 'string', required: true, constraints: { enum: ['a', 'b'] } },
					{
						name: 'camera_control',
						children: [{ name: 'type', type: 'string', constraints: { enum: ['simple'] } }],
					},
					{ type: 'string' },
				],
			},
		});
		expect(result).toEqual({
			ok: true,
			spec: {
				modelId: 'kirin_v2_1_master_i2v',
				name: 'Kling',
				parameters: [
					{ name: 'cfg_scale', kind: 'number', required: false, default: 0.5, min: 0, max: 1 },
					{ name: 'shot_type', kind: 'string', required: true, enum: ['a', 'b'] },
					{
						name: 'camera_control',
						kind: 'object',
						required: false,
						children: [{ name: 'type', kind: 'string', required: false, enum: ['simple'] }],
					},
				],
			},
		});
	});

	it('says why an answer is not a spec', () => {
		expect(parseModelSpec('<html>')).toEqual({ ok: false, reason: 'the answer is not a model spec' });
		expect(parseModelSpec({ status: { code: 404, message: 'model not found' } })).toEqual({
			ok: false,
			reason: 'the spec service answered code 404: model not found',
		});
		expect(parseModelSpec({ status: { code: 0 }, data: {} })).toEqual({
			ok: false,
			reason: 'the answer holds no parameters',
		});
	});

	it('builds the spec URL under the Model Spec URL', () => {
		expect(modelSpecUrl('http://127.0.0.1:4010/')).toBe(
			'http://127.0.0.1:4010/api/v1/skill/models/kirin_v2_1_master_i2v/spec',
		);
	});
});
