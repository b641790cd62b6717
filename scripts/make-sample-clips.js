#!/usr/bin/env node
// @ts-check
// Makes the two small clips the simulator ships as fallback (test/simulator/clips/): the same
// slow zoom the simulator renders per task, from its 1280×720 sample photo, at 360p so each stays
// a few tens of kB. Run once after changing clip.js or samplePhoto.js; needs ffmpeg
// (`bash scripts/e2e/install-ffmpeg.sh`).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { SAMPLE_CLIPS, frameSize, renderClip } = require('../test/simulator/clip');
const { samplePhoto } = require('../test/simulator/samplePhoto');

async function main() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kirin-sample-clips-'));
	try {
		const input = path.join(folder, 'photo.png');
		fs.writeFileSync(input, samplePhoto(1280, 720));
		for (const [seconds, output] of Object.entries(SAMPLE_CLIPS)) {
			const size = frameSize({ width: 1280, height: 720 }, 360);
			// Slower preset, lower quality: the file size matters more here than the encode time.
			await renderClip({ input, output, seconds: Number(seconds), ...size, crf: 30, preset: 'slow' });
			console.log(`${path.relative(process.cwd(), output)}: ${fs.statSync(output).size} bytes`);
		}
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
