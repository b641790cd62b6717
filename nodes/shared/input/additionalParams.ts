import type { IDataObject } from 'n8n-workflow';

import { accept, refuse, type Check } from './check';

/**
 * Options → Additional Parameters: fields of the model the node does not name (`negative_prompt`,
 * `cfg_scale`, `image_tail`, `camera_control`, …), sent as they are inside `params`, so users can
 * reach a field of the live model without waiting for a release of the node.
 */

/** The params the node sets itself, and the field a user sets each one with instead. */
const OWNED_KEYS: Record<string, string> = {
	image: 'the image fields (Image Source)',
	prompt: 'the Prompt field',
	duration: 'the Duration field',
	watermark_info: 'Options → Watermark',
	callback_url: 'Options → Callback URL',
	external_task_id: 'Options → External Task ID',
};

const EXAMPLE = '{"negative_prompt": "blurry", "cfg_scale": 0.5}';

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The same object with its keys sorted at every depth, so the same fields in another order give
 * the same idempotency key (the object is part of what an item asks for).
 */
export function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (!isPlainObject(value)) return value;
	return Object.fromEntries(
		Object.keys(value)
			.sort()
			.map((key) => [key, sortedKeys(value[key])]),
	);
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return `a ${typeof value}`;
}

/**
 * Checks Additional Parameters: JSON text or an object (an expression may give either), an object
 * at the top, none of the node's own keys. Empty (nothing, blank, `{}`) is undefined.
 */
export function checkAdditionalParams(value: unknown): Check<IDataObject | undefined> {
	let parsed: unknown = value;
	if (value === undefined || value === null) return accept(undefined);
	if (typeof value === 'string') {
		if (value.trim() === '') return accept(undefined);
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			const why = error instanceof Error ? `: ${error.message}` : '';
			return refuse(`Additional Parameters is not valid JSON${why}`, `Enter an object such as ${EXAMPLE}.`);
		}
	}
	if (!isPlainObject(parsed)) {
		return refuse(
			`Additional Parameters is ${kindOf(parsed)}, not a JSON object`,
			`Enter an object such as ${EXAMPLE}.`,
		);
	}
	const owned = Object.keys(parsed).find((key) => Object.hasOwn(OWNED_KEYS, key));
	if (owned !== undefined) {
		return refuse(
			`Additional Parameters may not set "${owned}": the node sends it from ${OWNED_KEYS[owned]}`,
			`Remove "${owned}" from Additional Parameters and use ${OWNED_KEYS[owned]} instead.`,
		);
	}
	if (Object.keys(parsed).length === 0) return accept(undefined);
	return accept(sortedKeys(parsed) as IDataObject);
}
