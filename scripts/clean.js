#!/usr/bin/env node
// @ts-check
// Removes build output and test leftovers; keeps the cached n8n installs (.n8n-e2e/,
// .n8n-e2e-1.123/) unless --all.
const fs = require('node:fs');
const path = require('node:path');

const { LINES, installDir } = require('./lib/n8nVersions');

const ROOT = path.resolve(__dirname, '..');
const targets = ['dist', '.tmp', 'coverage', '.n8n-e2e/demo-user'];
if (process.argv.includes('--all'))
	targets.push(...Object.values(LINES).map((version) => path.relative(ROOT, installDir(version))));
for (const target of targets) fs.rmSync(path.join(ROOT, target), { recursive: true, force: true });
console.log(`removed ${targets.join(', ')}`);
