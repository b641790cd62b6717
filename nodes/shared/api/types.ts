/** What the node asks the API to make; every field already validated. */

export type VideoDuration = '5' | '10';

export interface CreateTaskRequest {
	/** An http(s) URL or bare base64 (never a data URI). */
	image: string;
	prompt: string;
	duration: VideoDuration;
	watermark: boolean;
	callbackUrl?: string;
	/** The idempotency key: always present (the user's, or derived: see externalTaskId.ts). */
	externalTaskId: string;
}
