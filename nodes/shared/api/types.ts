/** Everything the package knows about the Kirin wire protocol is named here (DESIGN §2). */

export const KIRIN_MODEL = 'kirin_v2_1_master_i2v';
export const CREDENTIAL_TYPE = 'kirinApi';
export const DEFAULT_BASE_URL = 'https://cloud.vtrix.ai';

export const ROUTES = {
	create: '/model/v1/generation',
	task: (idOrExternalId: string) => `/model/v1/generation/task/${encodeURIComponent(idOrExternalId)}`,
} as const;

export type TaskStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type FinalStatus = Extract<TaskStatus, 'completed' | 'failed' | 'cancelled'>;
export type VideoDuration = '5' | '10';

/** What the node asks the API to make; every field already validated. */
export interface CreateTaskRequest {
	/** An http(s) URL or bare base64 (never a data URI). */
	image: string;
	prompt: string;
	duration: VideoDuration;
	watermark: boolean;
	callbackUrl?: string;
	/** The idempotency key: always present, see idempotency.ts. */
	externalTaskId: string;
}

export interface KirinVideo {
	type: string;
	url: string;
	duration: number | null;
	jobId: string | null;
}

/**
 * One task, normalised: the same flat shape whether it came from a create, a status query
 * or a callback. This is what users see as an output item's JSON.
 */
export interface KirinTask {
	id: string;
	externalTaskId: string | null;
	status: TaskStatus;
	rawStatus: string;
	progress: number | null;
	videoUrl: string | null;
	videos: KirinVideo[];
	duration: number | null;
	cost: number | null;
	discount: number | null;
	createdAt: string | null;
	completedAt: string | null;
	errorCode: number | null;
	errorMessage: string | null;
	model: string | null;
}

export function isFinal(status: TaskStatus): status is FinalStatus {
	return status === 'completed' || status === 'failed' || status === 'cancelled';
}
