import type { IHttpRequestOptions } from 'n8n-workflow';

import type { FieldKind, FieldRule } from '../input/modelFieldRules';
import { KIRIN_MODEL, ROUTES } from './protocol';

/**
 * The gateway's live spec of our model: every parameter it takes, with its type and limits
 * (docs/API.md, "The model spec"). Read here and nowhere else. The spec route is public and takes
 * no credentials: it is asked with n8n's plain request helper, so the API key never goes to it.
 */

/** The gateway's models host (the one its own CLI is built with); the credential can change it. */
export const DEFAULT_MODEL_SPEC_URL = 'https://seacloud-cloud-model-spec.api.seaart.ai';

export interface ModelSpec {
	modelId: string;
	name: string;
	parameters: FieldRule[];
}

/** A spec, or why there is none, as a user reads it. */
export type SpecResult = { ok: true; spec: ModelSpec } | { ok: false; reason: string };

const KINDS: Record<string, FieldKind> = {
	string: 'string',
	str: 'string',
	text: 'string',
	enum: 'string',
	number: 'number',
	float: 'number',
	double: 'number',
	int: 'integer',
	integer: 'integer',
	bool: 'boolean',
	boolean: 'boolean',
	array: 'array',
	list: 'array',
	object: 'object',
	dict: 'object',
	map: 'object',
};

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const numberOr = (value: unknown) =>
	typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** One parameter of the spec as a rule; null when it has no name. Unknown types are text. */
function parameterRule(raw: unknown): FieldRule | null {
	if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '') return null;
	const constraints = isRecord(raw.constraints) ? raw.constraints : {};
	const declared = typeof raw.type === 'string' ? raw.type.toLowerCase() : '';
	const children = Array.isArray(raw.children)
		? raw.children.map(parameterRule).filter((rule): rule is FieldRule => rule !== null)
		: [];
	const enumValues = Array.isArray(constraints.enum) ? constraints.enum.map(String) : [];
	const rule: FieldRule = {
		name: raw.name,
		// A parameter with children and no known type is an object.
		kind: KINDS[declared] ?? (children.length > 0 ? 'object' : 'string'),
		required: raw.required === true,
		...(typeof raw.description === 'string' && raw.description ? { description: raw.description } : {}),
		...(enumValues.length > 0 ? { enum: enumValues } : {}),
		...(constraints.default !== undefined && constraints.default !== null
			? { default: constraints.default }
			: {}),
		...(children.length > 0 ? { children } : {}),
	};
	const limits = {
		min: numberOr(constraints.min),
		max: numberOr(constraints.max),
		minLength: numberOr(constraints.min_length),
		maxLength: numberOr(constraints.max_length),
		maxItems: numberOr(constraints.max_items),
	};
	for (const [key, value] of Object.entries(limits))
		if (value !== undefined) rule[key as keyof typeof limits] = value;
	return rule;
}

/**
 * Reads the spec route's answer: `{status: {code, message}, data: {model_id, name, parameters}}`,
 * code 0 or 200 for success (as the gateway's CLI reads it).
 */
export function parseModelSpec(body: unknown): SpecResult {
	if (!isRecord(body) || !isRecord(body.status))
		return { ok: false, reason: 'the answer is not a model spec' };
	const { code, message } = body.status;
	if (code !== 0 && code !== 200)
		return { ok: false, reason: `the spec service answered code ${String(code)}: ${String(message ?? '')}` };
	const data = body.data;
	if (!isRecord(data) || !Array.isArray(data.parameters))
		return { ok: false, reason: 'the answer holds no parameters' };
	return {
		ok: true,
		spec: {
			modelId: typeof data.model_id === 'string' ? data.model_id : KIRIN_MODEL,
			name: typeof data.name === 'string' ? data.name : KIRIN_MODEL,
			parameters: data.parameters.map(parameterRule).filter((rule): rule is FieldRule => rule !== null),
		},
	};
}

/** Where the spec of our model is, under the credential's Model Spec URL. */
export function modelSpecUrl(specBaseUrl: string | undefined): string {
	const base = (specBaseUrl || DEFAULT_MODEL_SPEC_URL).trim().replace(/\/+$/, '');
	return `${base}${ROUTES.modelSpec(KIRIN_MODEL)}`;
}

/**
 * Specs fetched by this process, by URL, for ten minutes: an editor session opens the node many
 * times, and a batch asks once. Only answers that are a spec are kept.
 */
const SPEC_TTL_MS = 10 * 60 * 1000;
const cache = new Map<string, { spec: ModelSpec; until: number }>();

/** Drops every cached spec (tests that change what the spec route answers). */
export function forgetModelSpecs(): void {
	cache.clear();
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

/**
 * The live spec at `url`, from the cache when fresh. Never throws: a failure is its reason.
 * `httpRequest` is n8n's plain helper (no credential), so nothing secret is sent.
 */
export async function fetchModelSpec(httpRequest: HttpRequest, url: string): Promise<SpecResult> {
	const cached = cache.get(url);
	if (cached && cached.until > Date.now()) return { ok: true, spec: cached.spec };
	let body: unknown;
	try {
		body = await httpRequest({ method: 'GET', url, json: true, timeout: 15_000 });
	} catch (error) {
		const status = isRecord(error) && isRecord(error.response) ? error.response.status : undefined;
		const why = status ? `HTTP ${String(status)}` : error instanceof Error ? error.message : String(error);
		return { ok: false, reason: `${url} did not answer with the spec (${why})` };
	}
	const result = parseModelSpec(body);
	if (!result.ok) return { ok: false, reason: `${url}: ${result.reason}` };
	cache.set(url, { spec: result.spec, until: Date.now() + SPEC_TTL_MS });
	return result;
}
