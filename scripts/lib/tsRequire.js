// @ts-check
// Lets plain Node.js scripts (the benchmarks) load the TypeScript test harness directly,
// transpiled in memory with the project's own TypeScript: no ts-node, no build step.
const fs = require('node:fs');
const ts = require('typescript');

/** @type {Record<string, (module: NodeJS.Module, filename: string) => void>} */
const extensions = /** @type {any} */ (require.extensions);
// Resolution tries extensions in insertion order; `.ts` must come before `.json`, or
// `nodes/Kirin/Kirin.node` would resolve to the codex file Kirin.node.json.
const { '.json': json, '.node': native } = extensions;
delete extensions['.json'];
delete extensions['.node'];

extensions['.ts'] = (module, filename) => {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2022,
			esModuleInterop: true,
			sourceMap: false,
		},
	});
	/** @type {any} */ (module)._compile(outputText, filename);
};

extensions['.json'] = json;
extensions['.node'] = native;
