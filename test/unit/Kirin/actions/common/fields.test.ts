import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { Kirin } from '../../../../../nodes/Kirin/Kirin.node';

/** Which options of the Options collection the editor offers for these top-level values. */
function offeredOptions(values: INodeParameters): string[] {
	const { properties } = new Kirin().description;
	const collection = properties.find(
		(property) =>
			property.name === 'options' && NodeHelpers.displayParameter(values, property, null, null, values),
	);
	const children = (collection?.options ?? []) as INodeProperties[];
	return children
		.filter((option) => NodeHelpers.displayParameter(values, option, null, null, values))
		.map((option) => option.name);
}

const POLL_OPTIONS = ['pollFirstSeconds', 'pollMaxSeconds', 'maxStatusRequestsPerSecond'];

describe('the Options collection offers only what acts', () => {
	it('Create offers the poll settings only while it waits', () => {
		expect(offeredOptions({ operation: 'create', waitForCompletion: false })).not.toEqual(
			expect.arrayContaining([expect.stringMatching(/^poll|Status/)]),
		);
		expect(offeredOptions({ operation: 'create', waitForCompletion: true })).toEqual(
			expect.arrayContaining(POLL_OPTIONS),
		);
	});

	it('Get Status, which asks once, offers none of them; Wait offers all', () => {
		const getStatus = offeredOptions({ operation: 'getStatus' });
		expect(getStatus).toEqual(expect.arrayContaining(['concurrency', 'requestTimeoutSeconds']));
		for (const name of POLL_OPTIONS) expect(getStatus).not.toContain(name);
		expect(offeredOptions({ operation: 'wait' })).toEqual(expect.arrayContaining(POLL_OPTIONS));
	});
});
