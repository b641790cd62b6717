const { selectedVersion } = require('./scripts/lib/n8nVersions');

/**
 * End-to-end tests: a real n8n server (installed by scripts/e2e/setup.sh) with the built
 * package, the simulator, and Chromium for the editor. One file at a time: each starts its own
 * n8n, and two of them with a browser are all a 2-core machine carries. The n8n version is
 * KIRIN_N8N_VERSION's (2.41.1 by default), named on every result line.
 * @type {import('jest').Config}
 */
module.exports = {
	displayName: `n8n ${selectedVersion()}`,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	maxWorkers: 1,
	testTimeout: 180_000,
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
};
