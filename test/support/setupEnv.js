// @ts-check
// Jest's setup for unit and engine tests (plain JavaScript: it sets the environment).
const { makeTempDir } = require('./files');

// n8n-core writes an encryption key under $N8N_USER_FOLDER/.n8n on first use; keep it out of $HOME.
process.env.N8N_USER_FOLDER ??= makeTempDir('kirin-n8n-');

// The engine logs every node error; the tests assert on them instead.
process.env.N8N_LOG_LEVEL ??= 'silent';
