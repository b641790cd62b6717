import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { AUTH_FAILED_CODE } from '../nodes/shared/api/errorCodes';

/** The task ID the credential test asks for: it cannot exist, so a good key gets "not found". */
export const CREDENTIAL_PROBE_TASK_ID = 'n8n-credential-check';

const KEY_REJECTED = 'The API key was rejected. Copy it again from your Kirin account.';

export class KirinApi implements ICredentialType {
	name = 'kirinApi';

	displayName = 'Kirin API';

	icon: Icon = { light: 'file:kirin.svg', dark: 'file:kirin.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-kirin/n8n-nodes-kirin#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Kirin API key. It is sent as a Bearer token and never shown in outputs or errors.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://cloud.vtrix.ai',
			description: 'Change only for a proxy, a regional host or the local simulator',
		},
		{
			displayName: 'Callback Secret',
			name: 'callbackSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. When set, the Kirin node adds it as ?token=… to callback URLs and the Kirin Trigger rejects callbacks without it.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// A good key asking for a task that does not exist gets 404 "not found", which counts as
	// success here; a wrong key gets 401 or 403.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: `/model/v1/generation/task/${CREDENTIAL_PROBE_TASK_ID}`,
			method: 'GET',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403, 429, 500, 502, 503, 504] },
		},
		// n8n checks `responseCode` rules on an error status and `responseSuccessBody` rules on a
		// success, whatever their mix; its type only allows one kind per list.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: KEY_REJECTED } },
			{ type: 'responseCode', properties: { value: 403, message: KEY_REJECTED } },
			// n8n 1.x knows only `ignoreHttpStatusErrors: true`: it reads the object above as "ignore
			// every status", so the 401 arrives here as a success and only its body, the API's
			// "JWT authentication failed" code, tells a wrong key.
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: AUTH_FAILED_CODE, message: KEY_REJECTED },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error.code', value: AUTH_FAILED_CODE, message: KEY_REJECTED },
			},
		] as IAuthenticateRuleResponseCode[],
	};
}
