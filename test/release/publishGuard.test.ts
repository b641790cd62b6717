/**
 * Publishing happens from GitHub Actions with npm provenance only. On a machine without a CI
 * identity, a real `npm publish` with valid-looking credentials must stop before uploading,
 * even though the project's .npmrc turns lifecycle scripts (prepublishOnly) off.
 */
import { startFakeRegistry } from '../support/fakeRegistry';
import { makeTempDir, removeDir } from '../support/files';
import { npmOnALaptop } from '../support/processes';

let home: string;

beforeAll(() => {
	home = makeTempDir('kirin-publish-');
});
afterAll(() => removeDir(home));

const npm = (args: string[], extraEnv?: Record<string, string>) => npmOnALaptop(args, home, extraEnv);

it('npm publish refuses without provenance, before sending the package', async () => {
	const registry = await startFakeRegistry();
	try {
		const token = `--${registry.url.replace(/^http:/, '')}:_authToken=not-a-real-token`;
		const refused = await npm(['publish', '--registry', registry.url, token]);
		expect(refused.status).not.toBe(0);
		expect(refused.output).toContain('npm error code EUSAGE');
		expect(refused.output).toContain('Automatic provenance generation not supported for provider: null');
		expect(registry.requests.filter((request) => request.startsWith('PUT'))).toEqual([]);

		// The same command with provenance switched off would have uploaded: the guard is what stops it.
		const control = await npm(['publish', '--provenance=false', '--registry', registry.url, token]);
		expect(control.output).toContain('+ n8n-nodes-kirin@');
		expect(registry.requests).toContain('PUT /n8n-nodes-kirin');
	} finally {
		await registry.stop();
	}
}, 60_000);

it('prepublishOnly refuses outside GitHub Actions when lifecycle scripts run', async () => {
	// A dry run still asks the registry for the package's versions: ask the loopback one.
	const registry = await startFakeRegistry();
	try {
		const dryRun = ['publish', '--dry-run', '--ignore-scripts=false', '--registry', registry.url];
		const refused = await npm(dryRun);
		expect(refused.status).not.toBe(0);
		expect(refused.output).toContain('n8n-nodes-kirin is published by GitHub Actions only');

		const inActions = await npm(dryRun, { GITHUB_ACTIONS: 'true' });
		expect(inActions.output).not.toContain('published by GitHub Actions only');
		expect(inActions.status).toBe(0);
		expect(registry.requests.filter((request) => request.startsWith('PUT'))).toEqual([]);
	} finally {
		await registry.stop();
	}
}, 60_000);
