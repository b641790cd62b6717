import { readImageHeader, sniffFormat } from '../../../../nodes/shared/input/imageHeader';
import { makeGif, makeHeic, makeJpegHeader, makePng, makeSvg, makeWebp } from '../../../fixtures/images';

describe('readImageHeader', () => {
	it('reads a PNG', () => {
		expect(readImageHeader(makePng(640, 480))).toEqual({
			ok: true,
			value: {
				format: 'png',
				mimeType: 'image/png',
				width: 640,
				height: 480,
				byteLength: makePng(640, 480).length,
			},
		});
	});

	it.each([
		['baseline', { width: 1920, height: 1080 }],
		['progressive', { width: 1080, height: 1920, progressive: true }],
		['EXIF before the frame', { width: 800, height: 600, exifBytes: 20_000 }],
		['fill bytes between segments', { width: 500, height: 700, fillBytes: true }],
	])('reads a %s JPEG', (_name, options) => {
		const result = readImageHeader(makeJpegHeader(options));
		expect(result.ok && result.value).toMatchObject({
			format: 'jpeg',
			mimeType: 'image/jpeg',
			width: options.width,
			height: options.height,
		});
	});

	it.each([8, 16, 23])('calls a PNG cut after %i bytes damaged', (length) => {
		const result = readImageHeader(makePng(640, 480).subarray(0, length));
		expect(result).toMatchObject({
			ok: false,
			reason: 'The PNG file is cut off or damaged (its header is incomplete)',
		});
	});

	it('calls a PNG without IHDR first damaged', () => {
		const png = Buffer.from(makePng(640, 480));
		png.write('IDAT', 12, 'ascii');
		expect(readImageHeader(png)).toMatchObject({
			ok: false,
			reason: expect.stringContaining('does not start with an IHDR header'),
		});
	});

	it.each([4, 10, 30, 120])('calls a JPEG cut after %i bytes damaged', (length) => {
		const result = readImageHeader(
			makeJpegHeader({ width: 640, height: 480, exifBytes: 100 }).subarray(0, length),
		);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(/^The JPEG file is cut off or damaged/);
	});

	it('calls a JPEG whose scan starts before any frame header damaged', () => {
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0xff, 0xd9]);
		expect(readImageHeader(jpeg)).toMatchObject({
			ok: false,
			reason: expect.stringContaining('no frame header'),
		});
	});

	it('rejects zero bytes', () => {
		expect(readImageHeader(Buffer.alloc(0))).toMatchObject({
			ok: false,
			reason: 'The image is empty (0 bytes)',
		});
	});

	it.each([
		['GIF', makeGif(), 'a GIF file'],
		['WebP', makeWebp(), 'a WebP file'],
		['HEIC', makeHeic(), 'a HEIC file'],
		['SVG', makeSvg(), 'an SVG file'],
		['text', Buffer.from('hello world'), 'not an image Kirin can read'],
	])('names a %s by its bytes', (_name, bytes, words) => {
		expect(readImageHeader(bytes)).toMatchObject({
			ok: false,
			reason: `The image is ${words}; Kirin accepts only PNG or JPEG images`,
		});
	});
});

describe('PNG completeness', () => {
	const png = makePng(640, 480);

	it('rejects a PNG cut off after its header, though its size is readable', () => {
		const result = readImageHeader(png.subarray(0, png.length - 12));
		expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('IEND end chunk is missing') });
	});

	it('accepts a whole PNG with a little trailing data after IEND', () => {
		const result = readImageHeader(Buffer.concat([png, Buffer.alloc(40, 0x20)]));
		expect(result).toMatchObject({ ok: true, value: { width: 640, height: 480 } });
	});
});

describe('sniffFormat', () => {
	it('goes by bytes, not names', () => {
		expect(
			[
				makePng(300, 300),
				makeJpegHeader({ width: 1, height: 1 }),
				makeGif(),
				makeWebp(),
				makeHeic(),
				makeSvg(),
			].map(sniffFormat),
		).toEqual(['png', 'jpeg', 'gif', 'webp', 'heic', 'svg']);
		expect(sniffFormat(Buffer.from('\uFEFF  <?xml version="1.0"?><svg/>'))).toBe('svg');
	});
});
