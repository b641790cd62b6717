import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * Waits `ms` milliseconds, or less if the execution is cancelled. n8n-workflow 2.41 has no
 * `sleepWithAbort`, and node code may not use timers directly; `AbortSignal.timeout` gives an
 * unreferenced timer that races the cancel signal, so nothing lingers after a cancel.
 */
export async function sleep(ms: number, signal: AbortSignal | undefined, node: INode): Promise<void> {
	throwIfCancelled(signal, node);
	if (ms <= 0) return;
	const timer = AbortSignal.timeout(Math.ceil(ms));
	const either = signal ? AbortSignal.any([timer, signal]) : timer;
	await new Promise<void>((resolve) => either.addEventListener('abort', () => resolve(), { once: true }));
	throwIfCancelled(signal, node);
}

export function throwIfCancelled(signal: AbortSignal | undefined, node: INode): void {
	if (signal?.aborted) {
		throw new NodeOperationError(node, 'The execution was cancelled, so Kirin stopped waiting.', {
			level: 'info',
		});
	}
}
