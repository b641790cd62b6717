/**
 * The credential's Test button: `kirinApiTest` run in n8n-core's own CredentialTestContext (the
 * one n8n's server builds for node-level credential tests), over real HTTP against the
 * simulator and against servers that are not Kirin.
 */
import { CredentialTestContext } from 'n8n-core';
import type { INodeCredentialTestResult } from 'n8n-workflow';

import { kirinApiTest } from '../../nodes/shared/api/credentialTest';
import { API_KEY, useSimulator } from './context';
import { startImpostor, unusedUrl, WRONG_BASE_URL_REPLIES } from '../support/impostors';

const ctx = useSimulator();
const simulatorUrl = () => String(ctx.credentials.kirinApi.baseUrl);

async function testCredential(baseUrl: string, apiKey = API_KEY): Promise<INodeCredentialTestResult> {
	const context = new CredentialTestContext(undefined as never);
	return await kirinApiTest.call(context, {
		id: 'credential-1',
		name: 'Kirin API',
		type: 'kirinApi',
		data: { apiKey, baseUrl, callbackSecret: '' },
	});
}

/** The test against a server that gives one fixed reply, and what that server saw. */
async function againstImpostor(reply: Parameters<typeof startImpostor>[0]) {
	const impostor = await startImpostor(reply);
	try {
		return { result: await testCredential(impostor.url), requests: impostor.requests, url: impostor.url };
	} finally {
		await impostor.stop();
	}
}

describe('a good Base URL', () => {
	it('passes with a good key, after one GET of a task that cannot exist', async () => {
		expect(await testCredential(simulatorUrl())).toEqual({
			status: 'OK',
			message: 'Connection successful: Kirin accepted the API key.',
		});
		expect(ctx.sim.requestLog).toEqual([
			expect.objectContaining({
				route: 'get',
				path: '/model/v1/generation/task/n8n-credential-check',
				authorized: true,
			}),
		]);
	});

	it('passes with a trailing slash in the Base URL', async () => {
		expect((await testCredential(`${simulatorUrl()}/`)).status).toBe('OK');
	});

	it('fails with a wrong key, saying so, without repeating the key', async () => {
		const result = await testCredential(simulatorUrl(), 'sk-wrong-key-987654');
		expect(result).toEqual({
			status: 'Error',
			message: 'The API key was rejected (HTTP 401): copy it again from your Kirin account.',
		});
	});

	it('passes when the gateway answers "not found" in its other error shape', async () => {
		ctx.sim.injectFault('get', {
			kind: 'status',
			status: 404,
			body: { error: { code: 404, error_message: 'task not found' } },
		});
		expect((await testCredential(simulatorUrl())).status).toBe('OK');
	});

	it('fails when the gateway answers HTTP 200 with its authentication error code', async () => {
		ctx.sim.injectFault('get', {
			kind: 'status',
			status: 200,
			body: { code: 8002009006, message: 'JWT authentication failed' },
		});
		expect((await testCredential(simulatorUrl())).message).toBe(
			'The API key was rejected (HTTP 200): copy it again from your Kirin account.',
		);
	});

	it('fails on a server error, asking to try again', async () => {
		ctx.sim.injectFault('get', { kind: 'status', status: 503 });
		const result = await testCredential(simulatorUrl());
		expect(result.status).toBe('Error');
		expect(result.message).toContain(
			`The server at ${simulatorUrl()} failed (HTTP 503): try again in a few minutes`,
		);
	});

	it('fails on a rate limit, asking to test again later', async () => {
		ctx.sim.injectFault('get', { kind: 'rate-limit', retryAfterSeconds: 1 });
		expect((await testCredential(simulatorUrl())).message).toBe(
			'Kirin is limiting requests right now (HTTP 429): test the credential again in a minute.',
		);
	});
});

describe('a wrong Base URL fails with a sentence saying what is wrong', () => {
	it('a website answering 404 with an HTML page', async () => {
		const { result, url } = await againstImpostor(WRONG_BASE_URL_REPLIES.htmlNotFound);
		expect(result).toEqual({
			status: 'Error',
			message: `${url} answered with a web page (HTTP 404), not the Kirin API: check the Base URL (Kirin's API is at https://cloud.vtrix.ai).`,
		});
	});

	it('a website answering 200 with its home page', async () => {
		const { result } = await againstImpostor(WRONG_BASE_URL_REPLIES.htmlHomePage);
		expect(result.message).toContain('answered with a web page (HTTP 200), not the Kirin API');
	});

	it('another service answering 404 in its own JSON', async () => {
		const { result, url } = await againstImpostor(WRONG_BASE_URL_REPLIES.otherServiceJson);
		expect(result).toEqual({
			status: 'Error',
			message: `${url} answered HTTP 404 with JSON that is not the Kirin API's: check the Base URL (Kirin's API is at https://cloud.vtrix.ai).`,
		});
	});

	it('another service refusing the key in its own words', async () => {
		const { result } = await againstImpostor({
			status: 403,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'Missing Authentication Token' }),
		});
		expect(result.message).toContain('refused the key (HTTP 403) but does not answer like the Kirin API');
	});

	it('nothing listening', async () => {
		const url = await unusedUrl();
		expect(await testCredential(url)).toEqual({
			status: 'Error',
			message: `Nothing answers at ${url} (connection refused): check the Base URL (Kirin's API is at https://cloud.vtrix.ai).`,
		});
	});

	it('a host that does not exist', async () => {
		const result = await testCredential('http://kirin-host.invalid');
		expect(result.message).toBe(
			"The host in http://kirin-host.invalid was not found: check the Base URL (Kirin's API is at https://cloud.vtrix.ai).",
		);
	});

	it('not a web address at all', async () => {
		expect((await testCredential('cloud.vtrix.ai')).message).toBe(
			'The Base URL "cloud.vtrix.ai" is not a web address: it should look like https://cloud.vtrix.ai.',
		);
	});

	it('a redirect, which is not followed, so the key stays at the Base URL', async () => {
		const target = await startImpostor({ status: 200, body: '{}' });
		try {
			const location = `${target.url}/model/v1/generation/task/n8n-credential-check`;
			const { result, url, requests } = await againstImpostor({ status: 302, headers: { location } });
			expect(result.message).toBe(
				`${url} redirects elsewhere (HTTP 302 to ${location}): enter the final address as the Base URL.`,
			);
			expect(requests).toHaveLength(1);
			expect(target.requests).toHaveLength(0);
		} finally {
			await target.stop();
		}
	});
});
