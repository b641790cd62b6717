/** The API's error codes (from the model's notes), each with what a no-code user should do. */

export type ErrorClass = 'bad-input' | 'credentials' | 'task-failed' | 'transient';

export interface ErrorCodeInfo {
	meaning: string;
	errorClass: ErrorClass;
	/** One sentence: what went wrong and what to do. */
	advice: string;
}

export const AUTH_FAILED_CODE = 8002009006;
export const GENERATION_FAILED_CODE = 8002009098;
export const PROVIDER_UNAVAILABLE_CODE = 8002009099;

export const ERROR_CODES: Readonly<Record<number, ErrorCodeInfo>> = {
	8002009001: {
		meaning: 'image missing',
		errorClass: 'bad-input',
		advice: 'Kirin received no image: check that the image field or binary property holds a PNG or JPEG.',
	},
	8002009002: {
		meaning: 'image format invalid',
		errorClass: 'bad-input',
		advice: 'Kirin rejected the image: use a PNG or JPEG under 10 MB with at least 300 px on each side.',
	},
	8002009003: {
		meaning: 'prompt length invalid',
		errorClass: 'bad-input',
		advice: 'Kirin rejected the prompt length: use between 1 and 2500 characters.',
	},
	8002009004: {
		meaning: 'duration invalid',
		errorClass: 'bad-input',
		advice: 'Kirin rejected the duration: choose 5 or 10 seconds.',
	},
	8002009005: {
		meaning: 'aspect ratio invalid',
		errorClass: 'bad-input',
		advice: "Kirin rejected the image's aspect ratio: crop it to between 1:2.5 and 2.5:1.",
	},
	[AUTH_FAILED_CODE]: {
		meaning: 'JWT authentication failed',
		errorClass: 'credentials',
		advice: 'Kirin rejected the API key: open the Kirin API credential and paste a valid key.',
	},
	[GENERATION_FAILED_CODE]: {
		meaning: 'generation process failed',
		errorClass: 'task-failed',
		advice: 'Kirin could not generate this video: run it again, or try another image or prompt.',
	},
	[PROVIDER_UNAVAILABLE_CODE]: {
		meaning: 'provider unavailable',
		errorClass: 'transient',
		advice: "Kirin's video provider is unavailable right now: try again in a few minutes.",
	},
};

export function describeCode(code: number | null): ErrorCodeInfo | undefined {
	return code === null ? undefined : ERROR_CODES[code];
}
