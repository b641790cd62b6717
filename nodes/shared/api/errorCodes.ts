/**
 * The API's error codes (from the model's notes), each worded for a no-code user after n8n's
 * error copy: what happened (the error's message) and what to do (its description). A new code
 * is one entry here: its `errorClass` decides whether a request is retried (failures.ts) and
 * whether the credential test reads it as a rejected key (credentialTest.ts).
 */

export type ErrorClass = 'bad-input' | 'credentials' | 'task-failed' | 'transient';

export interface ErrorCodeInfo {
	meaning: string;
	errorClass: ErrorClass;
	/** What went wrong, without a final period: the error's message. */
	happened: string;
	/** What to do about it, as a sentence: the error's description. */
	todo: string;
}

/** The entry whose copy errors.ts also gives a bare 401/403 (one without a code). */
export const AUTH_FAILED_CODE = 8002009006;

export const ERROR_CODES: Readonly<Record<number, ErrorCodeInfo>> = {
	8002009001: {
		meaning: 'image missing',
		errorClass: 'bad-input',
		happened: 'Kirin received no image',
		todo: 'Check that the image field or binary property holds a PNG or JPEG.',
	},
	8002009002: {
		meaning: 'image format invalid',
		errorClass: 'bad-input',
		happened: 'Kirin rejected the image',
		todo: 'Use a PNG or JPEG under 10 MB with at least 300 px on each side.',
	},
	8002009003: {
		meaning: 'prompt length invalid',
		errorClass: 'bad-input',
		happened: 'Kirin rejected the prompt length',
		todo: 'Use a prompt of between 1 and 2500 characters.',
	},
	8002009004: {
		meaning: 'duration invalid',
		errorClass: 'bad-input',
		happened: 'Kirin rejected the duration',
		todo: 'Choose 5 or 10 seconds.',
	},
	8002009005: {
		meaning: 'aspect ratio invalid',
		errorClass: 'bad-input',
		happened: "Kirin rejected the image's aspect ratio",
		todo: 'Crop the image to an aspect ratio between 1:2.5 (tall) and 2.5:1 (wide).',
	},
	[AUTH_FAILED_CODE]: {
		meaning: 'JWT authentication failed',
		errorClass: 'credentials',
		happened: 'Kirin rejected the API key',
		todo: 'Open the Kirin API credential and paste a valid key.',
	},
	8002009098: {
		meaning: 'generation process failed',
		errorClass: 'task-failed',
		happened: 'Kirin could not generate this video',
		todo: 'Run it again, or try another image or prompt.',
	},
	8002009099: {
		meaning: 'provider unavailable',
		errorClass: 'transient',
		happened: "Kirin's video provider is unavailable right now",
		todo: 'Try again in a few minutes.',
	},
};

export function describeCode(code: number | null): ErrorCodeInfo | undefined {
	return code === null ? undefined : ERROR_CODES[code];
}

/** The class of a code the table knows; undefined for no code or an unknown one. */
export function errorClassOf(code: number | null | undefined): ErrorClass | undefined {
	return describeCode(code ?? null)?.errorClass;
}
