import type { IWebhookFunctions } from 'n8n-workflow';

import { readCredentialsJoined } from '../../../../nodes/shared/api/joinedCredentialRead';
import { drained } from '../../../support/eventLoop';

type Ctx = Pick<IWebhookFunctions, 'getCredentials' | 'getNode' | 'getWorkflow' | 'getMode' | 'getExecutionId'>;

/**
 * A webhook context whose credential reads are counted and finish only when the test says so,
 * as n8n's do (a database query, a decryption) while other callbacks arrive.
 */
function webhookContext(
	workflowId: string,
	nodeName = 'Kirin Trigger',
	credentialId = 'cred-1',
	where: { mode?: string; executionId?: string } = {},
) {
	const pending: Array<{ resolve: (value: object) => void; reject: (error: Error) => void }> = [];
	let reads = 0;
	const ctx = {
		getNode: () => ({ name: nodeName, credentials: { kirinApi: { id: credentialId, name: 'Kirin' } } }),
		getWorkflow: () => ({ id: workflowId, active: true }),
		getMode: () => where.mode ?? 'webhook',
		getExecutionId: () => where.executionId,
		getCredentials: async () => {
			reads += 1;
			return await new Promise<object>((resolve, reject) => pending.push({ resolve, reject }));
		},
	} as unknown as Ctx;
	return {
		ctx,
		get reads() {
			return reads;
		},
		finishRead(apiKey: string) {
			pending.shift()?.resolve({ apiKey, baseUrl: 'https://api.example', callbackSecret: 's3cret' });
		},
		failRead(message: string) {
			pending.shift()?.reject(new Error(message));
		},
	};
}

/** Lets the reads that were started reach n8n's getCredentials. */
const settle = drained;

describe('readCredentialsJoined', () => {
	it('lets callbacks that arrive during a read share it: one read for a burst', async () => {
		const n8n = webhookContext('wf-burst');
		const burst = Array.from({ length: 5 }, async () => await readCredentialsJoined(n8n.ctx));
		await settle();
		n8n.finishRead('key-1');
		const read = await Promise.all(burst);
		expect(n8n.reads).toBe(1);
		expect(read.map((credentials) => credentials.apiKey)).toEqual(Array(5).fill('key-1'));
	});

	it('never hands a finished read to a later callback: a key saved meanwhile applies at once', async () => {
		const n8n = webhookContext('wf-later');
		const first = readCredentialsJoined(n8n.ctx);
		await settle();
		n8n.finishRead('old-key');
		expect((await first).apiKey).toBe('old-key');

		const second = readCredentialsJoined(n8n.ctx);
		await settle();
		n8n.finishRead('new-key');
		expect((await second).apiKey).toBe('new-key');
		expect(n8n.reads).toBe(2);
	});

	it('keeps reads of other nodes, workflows, credentials, modes and executions apart', async () => {
		const contexts = [
			webhookContext('wf-a'),
			webhookContext('wf-b'),
			webhookContext('wf-a', 'Another Kirin Trigger'),
			webhookContext('wf-a', 'Kirin Trigger', 'cred-2'),
			// A test webhook: n8n resolves its credential without the production run's context.
			webhookContext('wf-a', 'Kirin Trigger', 'cred-1', { mode: 'manual' }),
			// Two paused executions: n8n may resolve a credential per execution.
			webhookContext('wf-a', 'Kirin Trigger', 'cred-1', { executionId: 'exec-1' }),
			webhookContext('wf-a', 'Kirin Trigger', 'cred-1', { executionId: 'exec-2' }),
		];
		const reads = contexts.map(async (n8n) => await readCredentialsJoined(n8n.ctx));
		await settle();
		contexts.forEach((n8n, index) => n8n.finishRead(`key-${index}`));
		expect((await Promise.all(reads)).map((credentials) => credentials.apiKey)).toEqual(
			contexts.map((_, index) => `key-${index}`),
		);
		expect(contexts.map((n8n) => n8n.reads)).toEqual(contexts.map(() => 1));
	});

	it('gives a failed read to the callbacks that shared it, and reads afresh for the next', async () => {
		const n8n = webhookContext('wf-fail');
		const shared = [readCredentialsJoined(n8n.ctx), readCredentialsJoined(n8n.ctx)];
		await settle();
		n8n.failRead('credential not found');
		for (const read of shared) await expect(read).rejects.toThrow('credential not found');

		const next = readCredentialsJoined(n8n.ctx);
		await settle();
		n8n.finishRead('key-after');
		expect((await next).apiKey).toBe('key-after');
		expect(n8n.reads).toBe(2);
	});
});
