/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// test/e2e needs a real n8n server: `npm run test:e2e` (jest.e2e.config.js).
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	// Engine tests start HTTP servers and real workflow runs; two workers fit the 2-core machines.
	maxWorkers: 2,
	// The fault matrix's two halves start first, one per worker, even before jest has timed them.
	testSequencer: '<rootDir>/test/support/slowFirst.js',
	testTimeout: 60_000,
	setupFiles: ['<rootDir>/test/support/setupEnv.js'],
	transform: {
		'^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
};
