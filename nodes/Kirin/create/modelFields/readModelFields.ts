import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readCredentials } from '../../../shared/api/credentials';
import { fetchModelSpec, modelSpecUrl } from '../../../shared/api/modelSpec';
import { sortedKeys } from '../../../shared/input/additionalParams';
import { accept, refuse, type Check } from '../../../shared/input/check';
import { checkModelFields, type FieldRule } from '../../../shared/input/modelFieldRules';
import { NODE_OWN_PARAMS, rulesFromSchema, specFields, type ModelField } from './specFields';

/**
 * Model Fields at run time: the rules to check them by, once per run, then each item's values
 * checked and merged with Additional Parameters, before any quote or create.
 */

/** The rules of a run: from the live spec, else the one the editor stored, else none (`unchecked` says why). */
export interface ModelFieldRules {
	rules: FieldRule[] | null;
	unchecked?: string;
}

interface StoredMapper {
	value?: Record<string, unknown> | null;
	schema?: ModelField[];
}

function hasValues(stored: StoredMapper | undefined): boolean {
	return Object.values(stored?.value ?? {}).some(
		(value) => value !== null && value !== undefined && value !== '',
	);
}

/**
 * The rules Model Fields are checked by in this run; null when no model field is set (the spec is
 * then not asked). The live spec (the one the editor loads, without the API key) comes first; when
 * it cannot be had, the spec stored with the workflow when the editor last loaded the list.
 */
export async function modelFieldRules(ctx: IExecuteFunctions): Promise<ModelFieldRules | null> {
	const stored = ctx.getNode().parameters.modelFields as StoredMapper | undefined;
	if (!hasValues(stored)) return null;
	const url = modelSpecUrl((await readCredentials(ctx)).modelSpecUrl);
	const live = await fetchModelSpec(async (options) => await ctx.helpers.httpRequest(options), url);
	if (live.ok) return { rules: rulesFromSchema(specFields(live.spec.parameters)) };
	const schema = stored?.schema ?? [];
	if (schema.length > 0) return { rules: rulesFromSchema(schema) };
	return {
		rules: null,
		unchecked: `Kirin's model spec could not be loaded (${live.reason}) and the workflow stores none, so the model fields were sent as given`,
	};
}

/**
 * One item's Model Fields, checked, over its Additional Parameters: the params both add to the
 * create. A name set in both is refused (which one was meant?), as is one the node sets itself.
 */
export function withModelFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: ModelFieldRules | null,
	additional: IDataObject | undefined,
): Check<IDataObject | undefined> {
	if (!run) return accept(additional);
	let values: Record<string, unknown>;
	try {
		const mapper = ctx.getNodeParameter('modelFields', itemIndex, {}) as StoredMapper;
		values = mapper.value ?? {};
	} catch (error) {
		// n8n checks the values' types against the stored schema as it resolves them.
		const why = error instanceof Error ? error.message : String(error);
		return refuse(`Model Fields could not be read: ${why}`, 'Correct the model field it names.');
	}
	const owned = Object.keys(values).find((name) => NODE_OWN_PARAMS.has(name));
	if (owned)
		return refuse(
			`Model Fields may not set "${owned}"`,
			`Remove "${owned}": the node sets it from its own field.`,
		);
	const checked = checkModelFields(values, run.rules);
	if (!checked.ok || !checked.value) return checked;
	const twice = Object.keys(checked.value).find((name) => additional && Object.hasOwn(additional, name));
	if (twice) {
		return refuse(
			`"${twice}" is set both in Model Fields and in Options → Additional Parameters`,
			`Remove "${twice}" from one of them.`,
		);
	}
	return accept(sortedKeys({ ...additional, ...checked.value }) as IDataObject);
}

/**
 * Says on each output item whose Model Fields went out unchecked why they did (`modelFieldsUnchecked`):
 * the run went ahead on the user's values alone, and the item is where a user looks.
 */
export function noteUncheckedModelFields(
	items: INodeExecutionData[],
	prepared: ReadonlyArray<Check<{ inputs: { modelFieldsUnchecked?: string } }>>,
): INodeExecutionData[] {
	for (const item of items) {
		const index =
			typeof item.pairedItem === 'object' && !Array.isArray(item.pairedItem) ? item.pairedItem.item : -1;
		const entry = prepared[index];
		if (entry?.ok && entry.value.inputs.modelFieldsUnchecked)
			item.json.modelFieldsUnchecked = entry.value.inputs.modelFieldsUnchecked;
	}
	return items;
}
