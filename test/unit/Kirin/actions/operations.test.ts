import { operations, properties } from '../../../../nodes/Kirin/actions/operations';

describe('the operation selector', () => {
	const selector = properties.find((property) => property.name === 'operation');
	const options = (selector?.options ?? []) as Array<{ name: string; value: string; action: string }>;

	it('lists every operation once, by name, each with an action', () => {
		expect(options.map((option) => option.value).sort()).toEqual(Object.keys(operations).sort());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		for (const option of options) expect(option.action).toMatch(/^[A-Z][a-z]/);
	});

	it('starts on Create', () => {
		expect(selector?.default).toBe('create');
	});
});
