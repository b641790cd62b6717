// @ts-check
// A readable stream of some text, as the answer body of a fake HTTP helper. Plain JavaScript:
// n8n's rules for node code, which lint the TypeScript tests, keep node:stream out of TypeScript.
const { Readable } = require('node:stream');

/** @param {string} text */
function streamOf(text) {
	return Readable.from([text]);
}

module.exports = { streamOf };
