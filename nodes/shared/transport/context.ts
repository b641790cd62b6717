import type {
	BinaryHelperFunctions,
	ICredentialDataDecryptedObject,
	INode,
	Logger,
	RequestHelperFunctions,
} from 'n8n-workflow';

/** The n8n credential type every authenticated request is signed with. */
export const CREDENTIAL_TYPE = 'kirinApi';

/**
 * The part of an n8n function context the transport and the API client need. Both the Kirin
 * node's IExecuteFunctions and the webhooks' IWebhookFunctions satisfy it.
 */
export interface KirinContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T>;
	helpers: Pick<RequestHelperFunctions, 'httpRequest'> & Pick<BinaryHelperFunctions, 'prepareBinaryData'>;
	logger: Logger;
}
