import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The task ID the credential test asks for: it cannot exist, so a good key gets "not found". */
export const CREDENTIAL_PROBE_TASK_ID = 'n8n-credential-check';

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
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The API key was rejected. Copy it again from your Kirin account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The API key was rejected. Copy it again from your Kirin account.',
				},
			},
		],
	};
}
