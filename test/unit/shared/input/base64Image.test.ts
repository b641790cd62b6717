import { decodeBase64Image } from '../../../../nodes/shared/input/base64Image';
import { makeGif, makePng } from '../../../fixtures/images';

const png = makePng(320, 320);
const bare = png.toString('base64');

describe('decodeBase64Image', () => {
	it('accepts bare base64', () => {
		const result = decodeBase64Image(bare);
		expect(result.ok && result.value.base64).toBe(bare);
		expect(result.ok && result.value.bytes.equals(png)).toBe(true);
	});

	it('strips a data-URI prefix, so it is never sent', () => {
		const result = decodeBase64Image(`data:image/png;base64,${bare}`);
		expect(result).toMatchObject({ ok: true, value: { base64: bare, declaredMimeType: 'image/png' } });
	});

	it('tolerates line breaks, spaces and the URL-safe alphabet', () => {
		const wrapped = bare.replace(/(.{76})/g, '$1\n');
		expect(decodeBase64Image(`  ${wrapped}  `)).toMatchObject({ ok: true, value: { base64: bare } });
		const urlSafe = bare.replace(/\+/g, '-').replace(/\//g, '_');
		expect(decodeBase64Image(urlSafe)).toMatchObject({ ok: true, value: { base64: bare } });
	});

	it('rejects a data URI of a GIF', () => {
		expect(decodeBase64Image(`data:image/gif;base64,${makeGif().toString('base64')}`)).toMatchObject({
			ok: false,
			reason: 'The image data URI says "image/gif"; Kirin accepts only PNG or JPEG images',
		});
	});

	it.each([
		['', 'The image base64 is empty'],
		['   ', 'The image base64 is empty'],
		['not base64!', 'The image is not valid base64'],
		['abcde', 'The image is not valid base64'],
		['data:image/png,rawbytes', 'The image data URI is not base64-encoded'],
	])('rejects %p', (input, reason) => {
		expect(decodeBase64Image(input)).toMatchObject({ ok: false, reason });
	});
});
