// @ts-check
// Switches that npm scripts set for tests through the environment, read here (the TypeScript
// tests follow n8n's rules for node code, which keep `process` out).
module.exports = {
	/** `npm run screenshots`: the editor test writes docs/screenshots/ instead of .tmp/screenshots/. */
	updateScreenshots: Boolean(process.env.KIRIN_UPDATE_SCREENSHOTS),
	/** `npm run reliability`: the fault matrix rewrites docs/RELIABILITY.md. */
	writeReliability: Boolean(process.env.KIRIN_WRITE_RELIABILITY),
};
