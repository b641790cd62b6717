import type { KirinClient } from '../../shared/api/client';
import { claimTask, type Claim } from '../../shared/api/createOnce';
import { holdExternalIds } from '../../shared/api/createLocks';
import { mapWithConcurrency, settle, type Settled } from '../../shared/concurrency';
import type { Check } from '../../shared/input/check';
import type { PreparedCreate } from './createInputs';

/**
 * Every item's claim, made before the first create: the task made for it before (reused), or
 * the external task ID its create goes under (`<id>-2` after a failed task). Pause names these
 * IDs in its resume URL and spend limits price only the new videos, so both need them up front;
 * the create then goes ahead on its claim instead of looking again. Null: the item's inputs
 * failed their checks (Continue On Fail), so it is not claimed.
 */
export type Claims = Array<Settled<Claim> | null>;

export async function claimAll(
	client: KirinClient,
	prepared: ReadonlyArray<Check<PreparedCreate>>,
	concurrency: number,
): Promise<Claims> {
	// Every ID is held from here until its create has answered (or releaseClaims), so an
	// execution overlapping this one waits for these creates instead of pricing and buying again.
	const ids = prepared.flatMap((entry) => (entry.ok ? [entry.value.externalTaskId] : []));
	const holds = await holdExternalIds(client.baseUrl, ids, client.options.signal, client.ctx.getNode());
	return await mapWithConcurrency(prepared, concurrency, async (entry, itemIndex) =>
		entry.ok
			? await settle(
					async () => await claimTask(client, entry.value, itemIndex, holds.get(entry.value.externalTaskId)),
				)
			: null,
	);
}

/**
 * Lets go of every ID still held by a claim: those whose create was never sent (refused by a
 * spend limit, or the run stopped before). Called once the creates are over, whatever happened.
 */
export function releaseClaims(claims: Claims | null): void {
	for (const claimed of claims ?? []) {
		if (claimed?.ok && 'hold' in claimed.value) claimed.value.hold.release();
	}
}

/** The claim an item's create goes ahead on; a claim that failed fails its create the same way. */
export function heldClaim(claims: Claims | null, itemIndex: number): Claim | undefined {
	const claimed = claims?.[itemIndex];
	if (!claimed) return undefined;
	if (!claimed.ok) throw claimed.error;
	return claimed.value;
}

/** The external task ID an item's task has, or will be created under; null when unknown. */
export function claimedExternalId(claimed: Settled<Claim> | null): string | null {
	if (!claimed?.ok) return null;
	const claim = claimed.value;
	return 'reuse' in claim ? (claim.reuse.externalTaskId ?? null) : claim.externalTaskId;
}
