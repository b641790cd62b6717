import { credentialsFrom, DEFAULT_BASE_URL } from '../../../../nodes/shared/api/credentials';
import { KirinApi } from '../../../../credentials/KirinApi.credentials';

describe('the credential as the nodes and the credential test read it', () => {
	it('fills what is missing and gives the Base URL one form', () => {
		expect(credentialsFrom({})).toEqual({ apiKey: '', baseUrl: DEFAULT_BASE_URL, callbackSecret: '' });
		expect(
			credentialsFrom({ apiKey: 'k', baseUrl: ' http://localhost:5678// ', callbackSecret: 's' }),
		).toEqual({
			apiKey: 'k',
			baseUrl: 'http://localhost:5678',
			callbackSecret: 's',
		});
	});

	it("offers the public API as the credential's Base URL", () => {
		const baseUrl = new KirinApi().properties.find((property) => property.name === 'baseUrl');
		expect(baseUrl?.default).toBe('https://cloud.vtrix.ai');
		expect(credentialsFrom({ baseUrl: baseUrl?.default as string }).baseUrl).toBe(DEFAULT_BASE_URL);
	});
});
