import { checkImageBytes, IMAGE_LIMITS } from '../../../../nodes/shared/input/imageRules';
import { makeJpegHeader, makePng, padTo } from '../../../fixtures/images';

const accepts = (bytes: Buffer) => checkImageBytes(bytes).ok;

describe('checkImageBytes at the exact limits', () => {
	it('accepts 300 px and rejects 299 px on either side', () => {
		expect(accepts(makePng(300, 300))).toBe(true);
		expect(checkImageBytes(makePng(299, 300))).toMatchObject({
			ok: false,
			reason: 'The image is 299 × 300 px; Kirin needs at least 300 px on each side',
		});
		expect(accepts(makePng(300, 299))).toBe(false);
		expect(accepts(makeJpegHeader({ width: 299, height: 1000 }))).toBe(false);
	});

	it('accepts ratios of exactly 1:2.5 and 2.5:1, and not one pixel beyond', () => {
		expect(accepts(makePng(300, 750))).toBe(true);
		expect(accepts(makePng(750, 300))).toBe(true);
		expect(accepts(makePng(300, 751))).toBe(false);
		expect(accepts(makePng(751, 300))).toBe(false);
		expect(checkImageBytes(makePng(751, 300))).toMatchObject({
			ok: false,
			reason: expect.stringContaining('751 × 300 px, an aspect ratio'),
		});
	});

	it('accepts one byte under 10 MiB and rejects exactly 10 MiB', () => {
		expect(IMAGE_LIMITS.maxBytes).toBe(10_485_760);
		expect(accepts(padTo(makePng(640, 480), IMAGE_LIMITS.maxBytes - 1))).toBe(true);
		expect(checkImageBytes(padTo(makePng(640, 480), IMAGE_LIMITS.maxBytes))).toMatchObject({
			ok: false,
			reason: 'The image is 10.0 MB; Kirin accepts images under 10 MB',
			fix: expect.stringMatching(/^Compress or resize the image/),
		});
		expect(accepts(padTo(makeJpegHeader({ width: 640, height: 480 }), IMAGE_LIMITS.maxBytes - 1))).toBe(true);
	});

	it('passes the header check through', () => {
		expect(checkImageBytes(makePng(640, 480).subarray(0, 10)).ok).toBe(false);
	});
});
