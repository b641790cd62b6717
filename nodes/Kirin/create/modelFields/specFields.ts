import type { FieldType, ResourceMapperField } from 'n8n-workflow';

import type { FieldRule } from '../../../shared/input/modelFieldRules';

/**
 * The model's spec as n8n's resource mapper shows it, and back: each parameter one field, its
 * limits and description in its label (a mapper field has no description of its own), its rule
 * kept beside it (`kirinRule`), so a workflow stores the spec the editor last loaded with its
 * values and a run can check them when the spec cannot be fetched.
 */

/** Params the node sets from fields of its own: never listed as model fields. */
export const NODE_OWN_PARAMS = new Set([
	'model',
	'image',
	'image_tail',
	'prompt',
	'duration',
	'watermark_info',
	'callback_url',
	'external_task_id',
]);

/** A mapper field as this node stores it: with the spec's rule for the run's checks. */
export type ModelField = ResourceMapperField & { kirinRule?: FieldRule };

function limitsOf(rule: FieldRule): string[] {
	const limits: string[] = [];
	if (rule.min !== undefined && rule.max !== undefined) limits.push(`${rule.min} to ${rule.max}`);
	else if (rule.min !== undefined) limits.push(`at least ${rule.min}`);
	else if (rule.max !== undefined) limits.push(`at most ${rule.max}`);
	if (rule.minLength !== undefined) limits.push(`at least ${rule.minLength} characters`);
	if (rule.maxLength !== undefined) limits.push(`at most ${rule.maxLength} characters`);
	if (rule.maxItems !== undefined) limits.push(`at most ${rule.maxItems} entries`);
	if (rule.default !== undefined) limits.push(`default ${JSON.stringify(rule.default)}`);
	return limits;
}

/** An object's or list's members, in a line: `type (simple, down_back), config (JSON object)`. */
function membersOf(children: FieldRule[]): string {
	return children
		.map((child) => {
			const what = child.enum ? child.enum.join(' | ') : child.kind;
			const required = child.required ? ', required' : '';
			const inner = child.children ? `: ${membersOf(child.children)}` : '';
			return `${child.name} (${what}${required}${inner})`;
		})
		.join(', ');
}

/** The field's label: its name, kind and limits, then what the spec says of it. */
function labelOf(rule: FieldRule): string {
	const kind =
		rule.kind === 'array' ? 'JSON list' : rule.kind === 'object' ? 'JSON object' : rule.enum ? '' : rule.kind;
	const details = [kind, ...limitsOf(rule)].filter(Boolean).join('; ');
	const members = rule.children ? ` Members: ${membersOf(rule.children)}.` : '';
	const description = rule.description ? ` — ${rule.description}` : '';
	return `${rule.name}${details ? ` (${details})` : ''}${description}${members}`;
}

function typeOf(rule: FieldRule): FieldType {
	if (rule.enum || rule.kind === 'boolean') return 'options';
	if (rule.kind === 'integer') return 'number';
	return rule.kind;
}

/**
 * The spec's parameters as mapper fields, those the node sets itself left out. Values start empty
 * (an empty field is not sent): the spec's default is named in the label, not filled in, so a
 * field left alone never changes what the video costs or its idempotency key. A true/false
 * parameter is a choice of the two, so that it too can be left empty.
 */
export function specFields(rules: FieldRule[]): ModelField[] {
	return rules
		.filter((rule) => !NODE_OWN_PARAMS.has(rule.name))
		.map((rule) => ({
			id: rule.name,
			displayName: labelOf(rule),
			type: typeOf(rule),
			required: rule.required,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			...(rule.enum ? { options: rule.enum.map((value) => ({ name: value, value })) } : {}),
			...(rule.kind === 'boolean'
				? {
						options: [
							{ name: 'True', value: true },
							{ name: 'False', value: false },
						],
					}
				: {}),
			kirinRule: rule,
		}));
}

/**
 * The rules of a schema stored with the workflow: each field's own rule when the editor kept it,
 * else what the mapper field itself says (its kind, its choices, whether it is required).
 */
export function rulesFromSchema(schema: readonly ModelField[]): FieldRule[] {
	return schema.map((field) => {
		if (field.kirinRule && field.kirinRule.name === field.id) return field.kirinRule;
		const choices =
			field.type === 'options' ? (field.options ?? []).map((option) => String(option.value)) : [];
		const kind =
			field.type === 'number' || field.type === 'boolean' || field.type === 'array' || field.type === 'object'
				? field.type
				: 'string';
		return {
			name: field.id,
			kind: choices.length > 0 && choices.every((c) => c === 'true' || c === 'false') ? 'boolean' : kind,
			required: field.required,
			...(choices.length > 0 ? { enum: choices } : {}),
		};
	});
}
