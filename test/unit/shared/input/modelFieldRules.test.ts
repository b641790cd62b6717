import { checkModelFields, type FieldRule } from '../../../../nodes/shared/input/modelFieldRules';

const rules: FieldRule[] = [
	{ name: 'mode', kind: 'string', required: true, enum: ['std', 'pro'] },
	{ name: 'steps', kind: 'integer', required: false, min: 1, max: 50 },
	{ name: 'note', kind: 'string', required: false, minLength: 2, maxLength: 5 },
	{ name: 'shots', kind: 'array', required: false, maxItems: 2 },
	{ name: 'sharp', kind: 'boolean', required: false },
];

describe('checkModelFields', () => {
	it('types the values as the spec says and leaves out empty ones', () => {
		expect(
			checkModelFields({ mode: 'pro', steps: '20', note: '', shots: '[1,2]', sharp: 'true' }, rules),
		).toEqual({
			ok: true,
			value: { mode: 'pro', steps: 20, shots: [1, 2], sharp: true },
		});
	});

	it.each([
		[{ mode: 'max' }, /takes only std, pro/],
		[{ mode: 'std', steps: 51 }, /maximum is 50/],
		[{ mode: 'std', steps: 2.5 }, /whole number/],
		[{ mode: 'std', note: 'x' }, /at least 2 characters/],
		[{ mode: 'std', note: 'toolong' }, /at most 5 characters/],
		[{ mode: 'std', shots: [1, 2, 3] }, /at most 2 entries/],
		[{ mode: 'std', sharp: 'yes' }, /true or false/],
		[{ steps: 3 }, /"mode" is required/],
	])('refuses %j', (values, reason) => {
		const checked = checkModelFields(values, rules);
		expect(checked.ok).toBe(false);
		if (!checked.ok) {
			expect(checked.reason).toMatch(reason);
			expect(checked.fix).toMatch(/^[A-Z].*\.$/);
		}
	});

	it('passes the values as given when there are no rules', () => {
		expect(checkModelFields({ anything: 'goes', empty: null }, null)).toEqual({
			ok: true,
			value: { anything: 'goes' },
		});
		expect(checkModelFields({}, null)).toEqual({ ok: true, value: undefined });
	});
});
