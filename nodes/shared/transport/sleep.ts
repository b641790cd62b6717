import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * The longest delay a timer keeps: 2^31-1 ms, about 24.8 days (35,791 minutes). Node's timers set
 * any longer delay to 1 ms (TimeoutOverflowWarning), and `AbortSignal.timeout` refuses one over
 * 2^32-1 ms outright (RangeError). Settings are refused beyond it (actions/common/options.ts);
 * a longer wait asked of `sleep` ends at this bound, which a caller that loops on a deadline
 * (the poll loop) simply follows with another.
 */
export const MAX_SLEEP_MS = 2 ** 31 - 1;

/**
 * Waits `ms` milliseconds, or less if the execution is cancelled. n8n-workflow 2.41 has no
 * `sleepWithAbort`, and node code may not use timers directly; `AbortSignal.timeout` gives an
 * unreferenced timer. Its own abort listener keeps that signal alive until it fires (a timeout
 * signal only reachable through `AbortSignal.any` may be garbage-collected first, and then never
 * fires); the cancel signal's listener is removed again, so a long wait adds none up on it.
 */
export async function sleep(ms: number, signal: AbortSignal | undefined, node: INode): Promise<void> {
	throwIfCancelled(signal, node);
	if (ms <= 0) return;
	await new Promise<void>((resolve) => {
		const timer = AbortSignal.timeout(Math.min(Math.ceil(ms), MAX_SLEEP_MS));
		const done = () => {
			timer.removeEventListener('abort', done);
			signal?.removeEventListener('abort', done);
			resolve();
		};
		timer.addEventListener('abort', done, { once: true });
		signal?.addEventListener('abort', done, { once: true });
	});
	throwIfCancelled(signal, node);
}

export function throwIfCancelled(signal: AbortSignal | undefined, node: INode): void {
	if (signal?.aborted) {
		throw new NodeOperationError(node, 'The execution was cancelled, so Kirin stopped waiting', {
			level: 'info',
			description: 'The tasks already started go on at Kirin: find them with Get Status.',
		});
	}
}
