import { accept, refuse, type Check } from './check';

export const PROMPT_MAX_LENGTH = 2500;
const TASK_ID_MAX_LENGTH = 128;

export function checkPrompt(prompt: unknown): Check<string> {
	const text = typeof prompt === 'string' ? prompt.trim() : '';
	if (text === '') return refuse('The prompt is empty', 'Describe what should happen in the video.');
	const length = [...text].length; // code points, so an emoji counts once
	if (length > PROMPT_MAX_LENGTH) {
		return refuse(
			`The prompt has ${length} characters; Kirin accepts at most ${PROMPT_MAX_LENGTH}`,
			'Shorten the prompt.',
		);
	}
	return accept(text);
}

/** The video lengths Kirin makes, in seconds, as the API's `duration` field spells them. */
export type VideoDuration = '5' | '10';

export function checkDuration(value: unknown): Check<VideoDuration> {
	const text = String(value ?? '').trim();
	if (text === '5' || text === '10') return accept(text);
	return refuse(`The duration "${text}" is not possible`, 'Choose 5 or 10 seconds.');
}

export function checkHttpUrl(value: unknown, what: string): Check<string> {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return refuse(`${what} is empty`, 'Enter an http(s) URL, or map the field that holds it.');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return refuse(
			`${what} "${text}" is not a valid URL`,
			'Enter a full http(s) address, such as https://example.com/photo.jpg.',
		);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return refuse(`${what} uses "${url.protocol}", which Kirin cannot fetch`, 'Use an http or https URL.');
	}
	if (url.hostname === '')
		return refuse(`${what} "${text}" has no host name`, 'Enter a full http(s) address.');
	return accept(url.toString());
}

export function checkTaskId(value: unknown, what: string): Check<string> {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (text === '') return refuse(`${what} is empty`, 'Map the ID from an earlier Kirin node.');
	if (/[\s/?#]/.test(text) || text.length > TASK_ID_MAX_LENGTH) {
		return refuse(
			`${what} "${text.slice(0, 40)}" is not a task ID`,
			`Map the ID from an earlier Kirin node: a task ID has no spaces, slashes, ? or #, and at most ${TASK_ID_MAX_LENGTH} characters.`,
		);
	}
	return accept(text);
}
