// @ts-check
// The "product photos" the simulator serves under /samples/ for the demo and the examples: a
// drawn bottle on a table, in colour, so the demo's video (made from it) shows something a
// person recognises. Drawn pixel by pixel and kept per size: no image files in git.
const { encodePng } = require('./images');

/** @param {number} a @param {number} b @param {number} t */
const mix = (a, b, t) => a + (b - a) * Math.min(1, Math.max(0, t));

/**
 * The colour of one pixel.
 * @param {number} x @param {number} y @param {number} width @param {number} height
 * @returns {[number, number, number]}
 */
function pixel(x, y, width, height) {
	const s = Math.min(width, height);
	const cx = width / 2;
	const table = height * 0.7;
	const bodyTop = height / 2 - 0.2 * s;
	const bodyBottom = table + 0.05 * s;
	const halfWidth = 0.11 * s;
	const dx = (x - cx) / halfWidth;
	// Background: a warm wall fading down to a lighter table top.
	let colour = /** @type {[number, number, number]} */ (
		y < table
			? [mix(236, 198, y / table), mix(220, 170, y / table), mix(200, 140, y / table)]
			: [mix(214, 186, (y - table) / (height - table)), 180, 150]
	);
	// A soft shadow under the bottle.
	const shadow = ((x - cx) / (1.6 * halfWidth)) ** 2 + ((y - bodyBottom) / (0.035 * s)) ** 2;
	if (shadow < 1)
		colour = /** @type {[number, number, number]} */ (colour.map((c) => c * (0.6 + 0.4 * shadow)));
	// The bottle: a body, a neck and a cap, lit from the left.
	const neck = y >= bodyTop - 0.14 * s && y < bodyTop && Math.abs(dx) < 0.35;
	const cap = y >= bodyTop - 0.19 * s && y < bodyTop - 0.14 * s && Math.abs(dx) < 0.42;
	const body = y >= bodyTop && y <= bodyBottom && Math.abs(dx) < 1;
	if (body || neck || cap) {
		const light = 0.45 + 0.55 * Math.cos(((dx + 0.35) * Math.PI) / 2.8);
		const label = body && y > bodyTop + 0.12 * s && y < bodyTop + 0.3 * s;
		const base = cap ? [60, 45, 40] : label ? [245, 235, 215] : [22, 120, 130];
		colour = /** @type {[number, number, number]} */ (
			base.map((c) => Math.min(255, c * light + 40 * light ** 8))
		);
	}
	return colour;
}

/** @type {Map<string, Buffer>} */
const made = new Map();

/**
 * A product photo as an 8-bit RGB PNG.
 * @param {number} width @param {number} height
 */
function samplePhoto(width, height) {
	const key = `${width}x${height}`;
	const cached = made.get(key);
	if (cached) return cached;
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		for (let x = 0; x < width; x++) {
			const [r, g, b] = pixel(x, y, width, height);
			raw[row + 1 + x * 3] = r;
			raw[row + 2 + x * 3] = g;
			raw[row + 3 + x * 3] = b;
		}
	}
	const png = encodePng(width, height, 2, raw);
	made.set(key, png);
	return png;
}

module.exports = { samplePhoto };
