import type { IDataObject } from 'n8n-workflow';

import type { VideoDuration } from '../input/textRules';

/** What the node asks the API to make; every field already validated. */

// Its rule (checkDuration) defines it, so shared/input needs nothing from here.
export type { VideoDuration };

/**
 * The image a create sends: an http(s) URL as is, or bare base64 (never a data URI) written
 * straight into the request body when the body is built, so it is read only then.
 */
export type ImageData =
	| { kind: 'url'; url: string }
	| { kind: 'base64'; length: number; write: (target: Buffer) => Promise<void> };

export interface CreateTaskRequest {
	image: ImageData;
	/** The end frame (the model's `image_tail`), sent like the image; absent when not given. */
	imageTail?: ImageData;
	prompt: string;
	duration: VideoDuration;
	watermark: boolean;
	callbackUrl?: string;
	/**
	 * Fields of the model the node does not name (Model Fields and Options → Additional
	 * Parameters), merged into `params`; never one of the node's own keys
	 * (shared/input/additionalParams.ts).
	 */
	additionalParams?: IDataObject;
	/** The idempotency key: the user's own ID, or one derived from the item (externalTaskId.ts). */
	externalTaskId: string;
	/**
	 * Whether the ID was derived by the node. A derived ID moves on to a new attempt
	 * (`<id>-2`, …) after its task failed; a user's ID is always sent as given.
	 */
	derivedExternalTaskId: boolean;
}
