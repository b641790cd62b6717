import { checkAdditionalParams } from '../../../../nodes/shared/input/additionalParams';

describe('checkAdditionalParams', () => {
	it.each([undefined, null, '', '   ', '{}', {}])('takes %p as none', (value) => {
		expect(checkAdditionalParams(value)).toEqual({ ok: true, value: undefined });
	});

	it('accepts JSON text or an object, with its keys sorted at every depth', () => {
		const text =
			'{"shot_type": "customize", "camera_control": {"type": "simple", "config": {"zoom": 5, "pan": 0}}}';
		const checked = checkAdditionalParams(text);
		expect(checked).toEqual({
			ok: true,
			value: { camera_control: { config: { pan: 0, zoom: 5 }, type: 'simple' }, shot_type: 'customize' },
		});
		expect(JSON.stringify(checked.ok && checked.value)).toBe(
			'{"camera_control":{"config":{"pan":0,"zoom":5},"type":"simple"},"shot_type":"customize"}',
		);
		expect(checkAdditionalParams({ cfg_scale: 0.5, negative_prompt: 'blurry' })).toEqual({
			ok: true,
			value: { cfg_scale: 0.5, negative_prompt: 'blurry' },
		});
	});

	it('keeps the order of lists (it matters to the API)', () => {
		const checked = checkAdditionalParams({ multi_prompt: [{ prompt: 'b' }, { prompt: 'a' }] });
		expect(checked).toEqual({ ok: true, value: { multi_prompt: [{ prompt: 'b' }, { prompt: 'a' }] } });
	});

	it.each([
		['image', 'the image fields (Image Source)'],
		['prompt', 'the Prompt field'],
		['duration', 'the Duration field'],
		['watermark_info', 'Options → Watermark'],
		['callback_url', 'Options → Callback URL'],
		['external_task_id', 'Options → External Task ID'],
	])('refuses the node-owned key %s, naming its field', (key, field) => {
		expect(checkAdditionalParams({ negative_prompt: 'x', [key]: 'y' })).toMatchObject({
			ok: false,
			reason: `Additional Parameters may not set "${key}": the node sends it from ${field}`,
			fix: `Remove "${key}" from Additional Parameters and use ${field} instead.`,
		});
	});

	it.each([
		['[1]', 'Additional Parameters is a list, not a JSON object'],
		['42', 'Additional Parameters is a number, not a JSON object'],
		['"text"', 'Additional Parameters is a string, not a JSON object'],
		['null', 'Additional Parameters is null, not a JSON object'],
		['{"a": ', 'Additional Parameters is not valid JSON: '],
	])('refuses %s', (value, reason) => {
		const checked = checkAdditionalParams(value);
		expect(checked.ok).toBe(false);
		expect(!checked.ok && checked.reason).toContain(reason);
		expect(!checked.ok && checked.fix).toMatch(/^Enter an object such as \{/);
	});
});
