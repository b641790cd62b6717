import { credentialsFrom, DEFAULT_BASE_URL } from '../../../../nodes/shared/api/credentials';
import { DEFAULT_MODEL_SPEC_URL } from '../../../../nodes/shared/api/modelSpec';
import { KirinApi } from '../../../../credentials/KirinApi.credentials';

describe('the credential as the nodes and the credential test read it', () => {
	it('fills what is missing and gives the Base URL one form', () => {
		expect(credentialsFrom({})).toEqual({
			apiKey: '',
			baseUrl: DEFAULT_BASE_URL,
			callbackSecret: '',
			modelSpecUrl: DEFAULT_MODEL_SPEC_URL,
		});
		expect(
			credentialsFrom({ apiKey: 'k', baseUrl: ' http://localhost:5678// ', callbackSecret: 's' }),
		).toEqual({
			apiKey: 'k',
			baseUrl: 'http://localhost:5678',
			callbackSecret: 's',
			modelSpecUrl: DEFAULT_MODEL_SPEC_URL,
		});
		expect(credentialsFrom({ modelSpecUrl: ' http://127.0.0.1:9/ ' }).modelSpecUrl).toBe(
			'http://127.0.0.1:9',
		);
	});

	it("offers the public API as the credential's Base URL", () => {
		const baseUrl = new KirinApi().properties.find((property) => property.name === 'baseUrl');
		expect(baseUrl?.default).toBe('https://cloud.vtrix.ai');
		expect(credentialsFrom({ baseUrl: baseUrl?.default as string }).baseUrl).toBe(DEFAULT_BASE_URL);
	});

	it("offers the gateway's models host as the credential's Model Spec URL", () => {
		const specUrl = new KirinApi().properties.find((property) => property.name === 'modelSpecUrl');
		expect(specUrl?.default).toBe('https://seacloud-cloud-model-spec.api.seaart.ai');
	});
});
