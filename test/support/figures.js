// @ts-check
// Figures an end-to-end test measures (queue mode timings), printed for the person running it.
// Plain JavaScript: n8n's rules for node code, which lint the TypeScript tests, forbid console.

/** @param {string} line */
function printFigure(line) {
	process.stdout.write(`${line}\n`);
}

module.exports = { printFigure };
