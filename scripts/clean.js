#!/usr/bin/env node
// @ts-check
// Removes build output and test leftovers; keeps the cached n8n install (.n8n-e2e/) unless --all.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const targets = ['dist', '.tmp', 'coverage', '.n8n-e2e/demo-user'];
if (process.argv.includes('--all')) targets.push('.n8n-e2e');
for (const target of targets) fs.rmSync(path.join(ROOT, target), { recursive: true, force: true });
console.log(`removed ${targets.join(', ')}`);
