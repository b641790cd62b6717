import type { VideoDuration } from '../api/types';
import { accept, refuse, type Check } from './check';

export const PROMPT_MAX_LENGTH = 2500;
const TASK_ID_MAX_LENGTH = 128;

export function checkPrompt(prompt: unknown): Check<string> {
	const text = typeof prompt === 'string' ? prompt.trim() : '';
	if (text === '') return refuse('The prompt is empty: describe what should happen in the video.');
	const length = [...text].length; // code points, so an emoji counts once
	if (length > PROMPT_MAX_LENGTH) {
		return refuse(
			`The prompt has ${length} characters; Kirin accepts at most ${PROMPT_MAX_LENGTH}: shorten it.`,
		);
	}
	return accept(text);
}

export function checkDuration(value: unknown): Check<VideoDuration> {
	const text = String(value ?? '').trim();
	if (text === '5' || text === '10') return accept(text);
	return refuse(`The duration "${text}" is not possible: choose 5 or 10 seconds.`);
}

export function checkHttpUrl(value: unknown, what: string): Check<string> {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return refuse(`${what} is empty: enter an http(s) URL.`);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return refuse(`${what} "${text}" is not a valid URL: enter a full http(s) address.`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return refuse(`${what} uses "${url.protocol}"; only http and https URLs work.`);
	}
	if (url.hostname === '') return refuse(`${what} "${text}" has no host name.`);
	return accept(url.toString());
}

export function checkTaskId(value: unknown, what: string): Check<string> {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (text === '') return refuse(`${what} is empty: map the ID from an earlier Kirin node.`);
	if (/[\s/?#]/.test(text) || text.length > TASK_ID_MAX_LENGTH) {
		return refuse(
			`${what} "${text.slice(0, 40)}" is not a task ID (no spaces, slashes, ? or #, at most ${TASK_ID_MAX_LENGTH} characters).`,
		);
	}
	return accept(text);
}
