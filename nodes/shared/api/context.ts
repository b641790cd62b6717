import type {
	BinaryHelperFunctions,
	ICredentialDataDecryptedObject,
	INode,
	Logger,
	RequestHelperFunctions,
} from 'n8n-workflow';

/**
 * The part of an n8n function context the API client needs. Both the Kirin node's
 * IExecuteFunctions and the trigger's IWebhookFunctions satisfy it.
 */
export interface KirinContext {
	getNode(): INode;
	getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T>;
	helpers: Pick<RequestHelperFunctions, 'httpRequest' | 'httpRequestWithAuthentication'> &
		Pick<BinaryHelperFunctions, 'prepareBinaryData'>;
	logger: Logger;
}
