#!/usr/bin/env node
// @ts-check
// prepublishOnly: the package is published by .github/workflows/publish.yml only (GitHub
// Actions, with npm provenance, which n8n's verification requires). The project's .npmrc turns
// lifecycle scripts off, so this runs only where scripts are on; publishConfig.provenance in
// package.json is the guard that always holds (npm refuses provenance without a CI identity).
if (process.env.GITHUB_ACTIONS !== 'true') {
	console.error(
		'n8n-nodes-kirin is published by GitHub Actions only (.github/workflows/publish.yml), with npm provenance.\n' +
			'Bump the version and push its tag instead: npm version <patch|minor|major> && git push --follow-tags',
	);
	process.exit(1);
}
