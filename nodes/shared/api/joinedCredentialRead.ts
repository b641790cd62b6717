import type { IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/context';
import { readCredentials, type KirinCredentials } from './credentials';

/**
 * Credential reads in progress, per webhook node and credential. An entry lives only while its
 * read runs: it is removed the moment the read settles, so nothing here outlives one read.
 */
const reading = new Map<string, Promise<KirinCredentials>>();

/**
 * Reads the node's Kirin credential for a callback, joining a read that another callback to the
 * same node started and that has not finished yet.
 *
 * Why: outside an execution, n8n (2.41) reads a credential with a database query, a decryption,
 * and an expression isolate it creates for a throwaway workflow and disposes again
 * (credentials-helper `getDecrypted`). Under a burst of callbacks that is most of what a callback
 * costs beyond n8n's own Webhook node, and on PostgreSQL the query waits for one of n8n's two
 * pooled connections. Callbacks that arrive while a read is running share its result instead.
 *
 * What stays true: no callback uses a read that had finished before the callback arrived. A key
 * or callback secret saved in n8n applies from the first read that starts after the save: at
 * most the read already running then (a moment) still carries the old one. Only callbacks to the
 * same node, in the same workflow, mode and execution, with the same credential, ever share a
 * read: callbacks n8n would hand the same credential.
 */
export async function readCredentialsJoined(
	ctx: Pick<IWebhookFunctions, 'getCredentials' | 'getNode' | 'getWorkflow' | 'getMode' | 'getExecutionId'>,
): Promise<KirinCredentials> {
	const node = ctx.getNode();
	const credentialId = node.credentials?.[CREDENTIAL_TYPE]?.id;
	const workflowId = ctx.getWorkflow().id;
	if (!credentialId || !workflowId) return await readCredentials(ctx);

	// n8n 2.x may resolve a credential per execution (its dynamic credentials) and does not for a
	// test webhook: reads of other executions or modes are never shared.
	const key = JSON.stringify([workflowId, node.name, credentialId, ctx.getMode(), ctx.getExecutionId() ?? null]);
	const running = reading.get(key);
	if (running) return await running;
	const read = readCredentials(ctx).finally(() => reading.delete(key));
	reading.set(key, read);
	return await read;
}
