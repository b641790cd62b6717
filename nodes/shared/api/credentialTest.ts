import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { parseJson } from '../transport/cappedBody';
import { classifyNetworkError, type NoAnswer } from '../transport/outcome';
import { credentialsFrom, DEFAULT_BASE_URL, redactSecrets, type KirinCredentials } from './credentials';
import { errorClassOf } from './errorCodes';
import { parseErrorShape, parseTask } from './parse';
import { ROUTES } from './protocol';

/**
 * n8n's "Test" of a Kirin API credential. It asks for a task that cannot exist: the Kirin API
 * answers a good key with "task not found" in its own JSON dialect, and a wrong key with 401/403.
 * Anything else (a web page, another service's JSON, a redirect, no answer) means the Base URL
 * is not Kirin's, and the test says so. A declarative `test` on the credential cannot tell
 * these apart (n8n would count any 404 as success, or report only "ECONNREFUSED").
 */

/** The task ID the test asks for. */
export const CREDENTIAL_PROBE_TASK_ID = 'n8n-credential-check';

const PROBE_TIMEOUT_MS = 15_000;

/** What the probe came back with, before any judgement. */
export type ProbeAnswer =
	| { kind: 'answer'; status: number; contentType: string; location: string; body: string }
	| { kind: 'invalid-url' }
	| NoAnswer;

/**
 * n8n gives a credential test one HTTP function, the legacy `helpers.request`
 * (ICredentialTestFunctions has no httpRequest; n8n-io/n8n#25190). It is used here and nowhere
 * else; everything the nodes send goes through httpRequest, with the header the API client
 * makes from the credential (transport/request.ts).
 */
type TestHelpers = ICredentialTestFunctions['helpers'];

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function header(headers: FullResponse['headers'], name: string): string {
	const value = headers[name];
	return (Array.isArray(value) ? value[0] : value) ?? '';
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

function isWebAddress(url: string): boolean {
	try {
		const { protocol } = new URL(url);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

/**
 * One GET of the probe task with the key. Redirects are not followed, so the key never
 * travels to another origin.
 */
export async function probe(helpers: TestHelpers, baseUrl: string, apiKey: string): Promise<ProbeAnswer> {
	if (!isWebAddress(baseUrl)) return { kind: 'invalid-url' };
	try {
		const response = (await helpers.request({
			method: 'GET',
			uri: baseUrl + ROUTES.task(CREDENTIAL_PROBE_TASK_ID),
			headers: { Accept: 'application/json', Authorization: `Bearer ${apiKey}` },
			// The raw text, whatever its status: judging it is this module's job.
			json: false,
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			timeout: PROBE_TIMEOUT_MS,
		})) as FullResponse;
		return {
			kind: 'answer',
			status: response.statusCode,
			contentType: header(response.headers, 'content-type'),
			location: header(response.headers, 'location'),
			body: bodyText(response.body),
		};
	} catch (error) {
		return classifyNetworkError(error);
	}
}

/** Kirin's answers are tasks or errors with a numeric code (`{code, message}`, `{error: {code, …}}`). */
function isKirinDialect(body: unknown): boolean {
	if (typeof body !== 'object' || body === null) return false;
	return parseTask(body) !== null || typeof parseErrorShape(body)?.code === 'number';
}

const CHECK_BASE_URL = `check the Base URL (Kirin's API is at ${DEFAULT_BASE_URL})`;

function failed(message: string): INodeCredentialTestResult {
	return { status: 'Error', message };
}

function networkVerdict(
	answer: Exclude<ProbeAnswer, { kind: 'answer' }>,
	baseUrl: string,
): INodeCredentialTestResult {
	if (answer.kind === 'invalid-url') {
		return failed(`The Base URL "${baseUrl}" is not a web address: it should look like ${DEFAULT_BASE_URL}.`);
	}
	if (answer.kind === 'cancelled') return failed('The test was cancelled before Kirin answered.');
	switch (answer.reason) {
		case 'refused':
			return failed(`Nothing answers at ${baseUrl} (connection refused): ${CHECK_BASE_URL}.`);
		case 'dns':
			return failed(`The host in ${baseUrl} was not found: ${CHECK_BASE_URL}.`);
		case 'timeout':
			return failed(
				`${baseUrl} did not answer within ${PROBE_TIMEOUT_MS / 1000} s: ${CHECK_BASE_URL}, or try again later.`,
			);
		default:
			return failed(`The connection to ${baseUrl} failed: ${CHECK_BASE_URL} and the network.`);
	}
}

/** Turns the probe's answer into what n8n shows under the credential. */
export function judgeProbe(answer: ProbeAnswer, baseUrl: string): INodeCredentialTestResult {
	if (answer.kind !== 'answer') return networkVerdict(answer, baseUrl);
	const { status } = answer;
	if (status >= 300 && status < 400) {
		const to = answer.location ? ` to ${answer.location}` : '';
		return failed(
			`${baseUrl} redirects elsewhere (HTTP ${status}${to}): enter the final address as the Base URL.`,
		);
	}
	if (status >= 500) {
		return failed(
			`The server at ${baseUrl} failed (HTTP ${status}): try again in a few minutes; if it persists, ${CHECK_BASE_URL}.`,
		);
	}
	const body = parseJson(answer.body);
	const kirin = isKirinDialect(body);
	// A key Kirin rejects: by status, or by a code errorCodes.ts classes as the credentials'.
	const rejectedByCode = errorClassOf(parseErrorShape(body)?.code) === 'credentials';
	if (kirin && (status === 401 || status === 403 || rejectedByCode)) {
		return failed(`The API key was rejected (HTTP ${status}): copy it again from your Kirin account.`);
	}
	if (status === 401 || status === 403) {
		return failed(
			`${baseUrl} refused the key (HTTP ${status}) but does not answer like the Kirin API: ${CHECK_BASE_URL}, then the API key.`,
		);
	}
	if (body === undefined) {
		const what =
			/html/i.test(answer.contentType) || /^\s*</.test(answer.body)
				? 'a web page'
				: 'something that is not JSON';
		return failed(`${baseUrl} answered with ${what} (HTTP ${status}), not the Kirin API: ${CHECK_BASE_URL}.`);
	}
	if (!kirin) {
		return failed(
			`${baseUrl} answered HTTP ${status} with JSON that is not the Kirin API's: ${CHECK_BASE_URL}.`,
		);
	}
	if (status === 429) {
		return failed('Kirin is limiting requests right now (HTTP 429): test the credential again in a minute.');
	}
	return { status: 'OK', message: 'Connection successful: Kirin accepted the API key.' };
}

/** The function the nodes list under `methods.credentialTest` (see their `testedBy`). */
export async function kirinApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const credentials = credentialsFrom((credential.data ?? {}) as Partial<KirinCredentials>);
	const answer = await probe(this.helpers, credentials.baseUrl, credentials.apiKey);
	const verdict = judgeProbe(answer, credentials.baseUrl);
	return { ...verdict, message: redactSecrets(verdict.message, credentials) };
}
