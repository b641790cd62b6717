// n8n's own lint config for community packages (the one `@n8n/node-cli` gives the starter),
// applied to the shipped code: nodes, credentials and package.json.
import { config } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'test/**', 'scripts/**', 'docs/**', 'examples/**', '.n8n-e2e/**', '*.js', '*.mjs'] },
	...config,
];
