import type { IDataObject } from 'n8n-workflow';

import { accept, refuse, type Check } from './check';

/**
 * Model Fields: the model's own parameters, as its live spec declares them (shared/api/modelSpec.ts
 * reads the spec into these rules), checked before anything is paid. A value out of the model's
 * limits would be refused by Kirin after the node asked for a price, or worse, priced and made
 * with a default instead; here it fails its own item, at no cost.
 */

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** One parameter of the model and its limits; children describe an object's (or a list's) members. */
export interface FieldRule {
	name: string;
	kind: FieldKind;
	required: boolean;
	description?: string;
	enum?: string[];
	default?: unknown;
	min?: number;
	max?: number;
	minLength?: number;
	maxLength?: number;
	maxItems?: number;
	children?: FieldRule[];
}

const isBlank = (value: unknown) => value === undefined || value === null || value === '';

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field's value as the API expects its kind: numbers from text, JSON from text. */
function asKind(rule: FieldRule, value: unknown, where: string): Check<unknown> {
	const wrong = (what: string) =>
		refuse(`${where} must be ${what}`, `Give ${where} ${what}, or leave it empty.`);
	switch (rule.kind) {
		case 'number':
		case 'integer': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof number !== 'number' || !Number.isFinite(number)) return wrong('a number');
			if (rule.kind === 'integer' && !Number.isInteger(number)) return wrong('a whole number');
			return accept(number);
		}
		case 'boolean':
			if (value === 'true' || value === 'false') return accept(value === 'true');
			return typeof value === 'boolean' ? accept(value) : wrong('true or false');
		case 'array':
		case 'object': {
			let parsed = value;
			if (typeof value === 'string') {
				try {
					parsed = JSON.parse(value);
				} catch {
					return wrong(rule.kind === 'array' ? 'a JSON list' : 'a JSON object');
				}
			}
			if (rule.kind === 'array' && !Array.isArray(parsed)) return wrong('a JSON list');
			if (rule.kind === 'object' && !isPlainObject(parsed)) return wrong('a JSON object');
			return accept(parsed);
		}
		default:
			return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
				? accept(String(value))
				: wrong('text');
	}
}

/** Checks one value against its rule's limits (and its children's, inside objects and lists). */
function checkField(rule: FieldRule, raw: unknown, where: string): Check<unknown> {
	const typed = asKind(rule, raw, where);
	if (!typed.ok) return typed;
	const value = typed.value;
	const limits = (what: string) =>
		refuse(`${where} is ${JSON.stringify(value)}: ${what}`, `Change ${where}.`);
	if (rule.enum && rule.enum.length > 0 && !rule.enum.includes(String(value)))
		return limits(`the model takes only ${rule.enum.join(', ')}`);
	if (typeof value === 'number') {
		if (rule.min !== undefined && value < rule.min) return limits(`the model's minimum is ${rule.min}`);
		if (rule.max !== undefined && value > rule.max) return limits(`the model's maximum is ${rule.max}`);
	}
	if (typeof value === 'string') {
		const length = [...value].length;
		if (rule.minLength !== undefined && length < rule.minLength)
			return limits(`the model needs at least ${rule.minLength} characters`);
		if (rule.maxLength !== undefined && length > rule.maxLength)
			return limits(`the model takes at most ${rule.maxLength} characters`);
	}
	if (Array.isArray(value)) {
		if (rule.maxItems !== undefined && value.length > rule.maxItems)
			return limits(`the model takes at most ${rule.maxItems} entries`);
		if (rule.children?.length) {
			for (const [index, entry] of value.entries()) {
				if (!isPlainObject(entry)) continue;
				const inner = checkMembers(rule.children, entry, `${where}[${index}]`);
				if (!inner.ok) return inner;
			}
		}
	}
	if (isPlainObject(value) && rule.children?.length) {
		const inner = checkMembers(rule.children, value, where);
		if (!inner.ok) return inner;
	}
	return accept(value);
}

/** An object's members against the children the spec names; members it does not name pass as given. */
function checkMembers(children: FieldRule[], value: Record<string, unknown>, where: string): Check<unknown> {
	for (const child of children) {
		const at = `${where}.${child.name}`;
		if (isBlank(value[child.name])) {
			if (child.required) return refuse(`${at} is missing`, `The model needs ${at}: add it.`);
			continue;
		}
		const checked = checkField(child, value[child.name], at);
		if (!checked.ok) return checked;
	}
	return accept(value);
}

/**
 * Checks Model Fields against the model's rules: every required one given, every given one known
 * to the model and within its limits. Blank values are not sent. Null rules (no spec to be had)
 * pass the values as given. The result is the params to send, or undefined when there are none.
 */
export function checkModelFields(
	values: Record<string, unknown>,
	rules: FieldRule[] | null,
): Check<IDataObject | undefined> {
	const given = Object.entries(values).filter(([, value]) => !isBlank(value));
	if (rules === null)
		return accept(given.length > 0 ? (Object.fromEntries(given) as IDataObject) : undefined);
	const byName = new Map(rules.map((rule) => [rule.name, rule]));
	const params: IDataObject = {};
	for (const [name, value] of given) {
		const rule = byName.get(name);
		if (!rule) {
			return refuse(
				`Model Fields has "${name}", which the model's spec does not declare`,
				'Refresh the model field list in Model Fields and remove the fields it no longer has.',
			);
		}
		const checked = checkField(rule, value, `Model field "${name}"`);
		if (!checked.ok) return checked;
		params[name] = checked.value as IDataObject[string];
	}
	const missing = rules.find((rule) => rule.required && params[rule.name] === undefined);
	if (missing) {
		return refuse(
			`Model field "${missing.name}" is required by the model`,
			`Fill in "${missing.name}" in Model Fields.`,
		);
	}
	return accept(Object.keys(params).length > 0 ? params : undefined);
}
