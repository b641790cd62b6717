// Copies the icons and codex files (*.node.json) next to the compiled JavaScript in dist/,
// where n8n looks them up (`icon: 'file:kirin.svg'` is relative to the built file).
const { task, src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:icons', copyIcons);
