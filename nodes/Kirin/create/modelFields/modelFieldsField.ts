import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../actions/common/fields';

/** The method that lists the model's fields in the editor (Kirin.node.ts, `methods.resourceMapping`). */
export const MODEL_FIELDS_METHOD = 'getModelFields';

/**
 * Model Fields: every parameter of the model the node has no field of its own for, listed from the
 * model's live spec (loadModelFields.ts) the way n8n lists a table's columns, and checked against
 * that spec before anything is paid (readModelFields.ts).
 */
export function modelFieldsField(show: Show): INodeProperties {
	return {
		displayName: 'Model Fields',
		name: 'modelFields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description:
			"The model's other parameters, loaded from its live spec (the credential's Model Spec URL). Fields left empty are not sent. Checked against the spec's limits before anything is paid.",
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: MODEL_FIELDS_METHOD,
				mode: 'add',
				valuesLabel: 'Model Fields',
				fieldWords: { singular: 'model field', plural: 'model fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError:
					"The model's spec lists no fields beyond the node's own. Use Options → Additional Parameters for anything else.",
			},
		},
		displayOptions: { show },
	};
}
