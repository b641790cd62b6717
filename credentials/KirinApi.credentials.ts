import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/shared/api/credentials';
import { DEFAULT_MODEL_SPEC_URL } from '../nodes/shared/api/modelSpec';

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
			default: DEFAULT_BASE_URL,
			description: 'Change only for a proxy, a regional host or the local simulator',
		},
		{
			displayName: 'Model Spec URL',
			name: 'modelSpecUrl',
			type: 'string',
			default: DEFAULT_MODEL_SPEC_URL,
			description:
				"Where the Kirin node loads the model's live parameter list for Model Fields. Asked without the API key. Change only for a mirror or the local simulator.",
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
	// The Test button runs `kirinApiTest` (nodes/shared/api/credentialTest.ts), which the nodes
	// name in `testedBy`: it tells a wrong Base URL from a wrong key, which a declarative
	// `test` here cannot (and n8n would prefer a `test` here over the nodes' function).
}
