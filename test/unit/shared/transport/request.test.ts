import type { IHttpRequestOptions } from 'n8n-workflow';

import type { KirinContext } from '../../../../nodes/shared/transport/context';
import { openRequest, originOf } from '../../../../nodes/shared/transport/request';
import { streamOf } from '../../../support/streams';
import { KIRIN_NODE } from '../../../support/testNodes';

/** A context whose HTTP helper answers 200 at once and remembers every request's headers. */
function recordingContext(): { ctx: KirinContext; sent: IHttpRequestOptions[] } {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getNode: () => KIRIN_NODE,
		helpers: {
			httpRequest: async (request: IHttpRequestOptions) => {
				sent.push(request);
				return { statusCode: 200, headers: {}, body: streamOf('{}') };
			},
		},
	} as unknown as KirinContext;
	return { ctx, sent };
}

const KEY = 'Bearer sk-test-secret';

describe('originOf', () => {
	it.each([
		['https://cloud.vtrix.ai/v1/tasks', 'https://cloud.vtrix.ai'],
		['http://127.0.0.1:8080/x', 'http://127.0.0.1:8080'],
	])('gives the origin of %s', (url, origin) => {
		expect(originOf(url)).toBe(origin);
	});

	it.each([
		['data:text/plain,hello'],
		['file:///etc/passwd'],
		['javascript:alert(1)'],
		['kirin://tasks/1'],
		['not a url'],
	])('gives no origin for %s (opaque, or none), never the string "null"', (url) => {
		expect(originOf(url)).toBeNull();
	});
});

describe('the API key goes only to its own origin', () => {
	it("is sent to the credential's origin", async () => {
		const { ctx, sent } = recordingContext();
		const credential = { origin: 'https://cloud.vtrix.ai', authorization: KEY };
		await openRequest(ctx, {
			method: 'GET',
			url: 'https://cloud.vtrix.ai/v1/tasks/1',
			timeoutMs: 1000,
			credential,
			accept: '*/*',
		});
		expect(sent[0].headers?.Authorization).toBe(KEY);
	});

	it.each([['data:application/json,{}'], ['file:///tmp/kirin.json']])(
		'is never sent to an opaque origin (%s), even under a credential whose origin reads "null"',
		async (url) => {
			const { ctx, sent } = recordingContext();
			// What a Base URL with an opaque origin made of the credential before: URL.origin's "null".
			const credential = { origin: new URL('file:///kirin').origin, authorization: KEY };
			await openRequest(ctx, { method: 'GET', url, timeoutMs: 1000, credential, accept: '*/*' });
			expect(sent).toHaveLength(1);
			expect(sent[0].headers).not.toHaveProperty('Authorization');
		},
	);
});
