import { createHash } from 'crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import { refuse, type Refusal } from '../../shared/input/check';

/**
 * The external task ID a create carries when the user gave none: the idempotency key that lets
 * the node find a task it already paid for instead of buying the same video again.
 *
 * The rule: one key per intended video. The same node, in the same place of the same workflow
 * (the same run index: a loop pass, an agent's tool call), asked for the same content (image
 * bytes, prompt, duration, watermark, …) gets the same key, so n8n's Retry On Fail, a re-run of
 * the execution, a manual "Execute step" and a new execution over the same inputs all find the
 * task made before. Two identical items in one run are two intended videos: the key counts
 * which occurrence an item is among identical inputs. With "Always Create New Videos" the
 * execution joins the key, so every execution buys new videos (its Retry On Fail still does not).
 */

/** Where the node runs: everything but the item. */
export interface KeyScope {
	instanceId: string;
	workflowId: string;
	nodeId: string;
	runIndex: number;
	/** Set only with "Always Create New Videos": the execution the videos belong to. */
	executionId?: string;
}

export function readKeyScope(ctx: IExecuteFunctions, alwaysNew: boolean): KeyScope {
	return {
		instanceId: ctx.getInstanceId(),
		workflowId: String(ctx.getWorkflow().id ?? ''),
		nodeId: ctx.getNode().id,
		runIndex: ctx.getWorkflowDataProxy(0).$runIndex ?? 0,
		...(alwaysNew ? { executionId: ctx.getExecutionId() ?? '' } : {}),
	};
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/**
 * A digest of what an item asks for, given as one JSON-able value (the image by its own digest).
 * Keys are sorted, so the same content always gives the same digest.
 */
export function contentDigest(content: Record<string, unknown>): string {
	const sorted = Object.fromEntries(Object.entries(content).sort(([a], [b]) => a.localeCompare(b)));
	return sha256(JSON.stringify(sorted));
}

/**
 * One external task ID per item from its content digest; null where the item has none (its
 * inputs failed their checks, or the user gave an ID of their own).
 */
export function deriveExternalTaskIds(
	scope: KeyScope,
	digests: ReadonlyArray<string | null>,
): Array<string | null> {
	const seen = new Map<string, number>();
	return digests.map((digest) => {
		if (digest === null) return null;
		const occurrence = seen.get(digest) ?? 0;
		seen.set(digest, occurrence + 1);
		const key = sha256(
			JSON.stringify([
				scope.instanceId,
				scope.workflowId,
				scope.nodeId,
				scope.runIndex,
				scope.executionId ?? null,
				digest,
				occurrence,
			]),
		);
		return `n8n-${key.slice(0, 32)}`;
	});
}

/**
 * A user's own External Task ID names one video: a second item of the run with the same ID would
 * be handed the first one's video (or, sent at the same moment, buy a second under one ID), so it
 * is refused before anything is sent. `taken`: the IDs given so far, with their items.
 */
export function ownIdTaken(
	own: string | undefined,
	taken: Map<string, number>,
	itemIndex: number,
): Refusal | null {
	if (own === undefined) return null;
	const first = taken.get(own);
	if (first === undefined) {
		taken.set(own, itemIndex);
		return null;
	}
	return refuse(
		`The external task ID "${own}" is item ${first}'s too: each video needs its own`,
		'Map Options → External Task ID to a value that differs per item (for example a row or product ID), or leave it empty so the node gives each item its own.',
	);
}
