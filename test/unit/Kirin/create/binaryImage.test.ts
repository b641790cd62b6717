/**
 * Binary images read as n8n's binary streams, in the chunks the node asks for: the checks see
 * a bounded sample, and the base64 written into a request body is exactly the image's, whatever
 * the chunk boundaries.
 */
import { createHash, randomBytes } from 'node:crypto';

import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import {
	base64Length,
	sampleBinaryImage,
	writeBinaryBase64,
} from '../../../../nodes/Kirin/create/binaryImage';
import { checkImage } from '../../../../nodes/shared/input/imageRules';
import { makeJpegHeader } from '../../../fixtures/images';

/** A context whose item 0 holds `bytes` in n8n's binary store, streamed in the size asked for. */
function storedImage(bytes: Buffer) {
	const ctx = {
		getNode: () => ({
			id: 'n',
			name: 'Kirin',
			type: 'kirin',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		helpers: {
			assertBinaryData: () => ({ id: 'filesystem-v2:image', data: '', mimeType: 'image/jpeg' }),
			// What the node reads of n8n's stream: its chunks, in order.
			getBinaryStream: async (_id: string, chunkSize = 64 * 1024) =>
				(async function* () {
					for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
				})(),
		},
	} as unknown as IExecuteFunctions;
	return { ctx };
}

describe('sampleBinaryImage', () => {
	it('digests the whole image and keeps only its start and end for the checks', async () => {
		// A 3 MB photo: EXIF first, then the frame header, then scan data up to the end marker.
		const scan = Buffer.alloc(3 * 1024 * 1024, 0x12);
		const image = makeJpegHeader({ width: 1280, height: 720, exifBytes: 60_000, scan });
		const { ctx } = storedImage(image);
		const { sample, digest } = await sampleBinaryImage(ctx, 0, 'data');
		expect(digest).toBe(createHash('sha256').update(image).digest('hex'));
		expect(sample.byteLength).toBe(image.length);
		expect(sample.head.length).toBeLessThan(300 * 1024);
		expect(Buffer.from(sample.tail).equals(image.subarray(-sample.tail.length))).toBe(true);
		expect(checkImage(sample)).toMatchObject({ ok: true, value: { width: 1280, height: 720 } });
	});

	it('never holds more than 2 MB of a JPEG whose frame header never comes, and refuses it', async () => {
		// Valid metadata segments (APP1, 64 kB each) for 3 MB, then the rest of a 6 MB file: a
		// reader that kept reading for the frame header would hold it all.
		const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0xff, 0xff]), Buffer.alloc(0xfffd, 0x20)]);
		const segments = Array.from({ length: 48 }, () => app1);
		const image = Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments]);
		const padded = Buffer.concat([image, Buffer.alloc(6 * 1024 * 1024 - image.length)]);
		const { sample } = await sampleBinaryImage(storedImage(padded).ctx, 0, 'data');
		expect(sample.head.length).toBe(2 * 1024 * 1024);
		expect(checkImage(sample)).toMatchObject({
			ok: false,
			reason: 'The JPEG file is cut off or damaged (no image size in its first 2048 kB)',
		});
	});
});

describe('writeBinaryBase64', () => {
	const checkedAs = (image: Buffer) => ({
		byteLength: image.length,
		digest: createHash('sha256').update(image).digest('hex'),
	});

	it.each([1, 2, 3, 48 * 1024 + 1, 256 * 1024 + 1, 1024 * 1024 + 2])(
		'writes exactly the base64 of an image of %i bytes, across chunk boundaries',
		async (size) => {
			const image = randomBytes(size);
			const target = Buffer.alloc(base64Length(size));
			await writeBinaryBase64(storedImage(image).ctx, 0, 'data', target, checkedAs(image));
			expect(target.toString('latin1')).toBe(image.toString('base64'));
		},
	);

	it.each([
		['shrank', (image: Buffer) => image.subarray(0, image.length - 10)],
		['grew', (image: Buffer) => Buffer.concat([image, Buffer.alloc(10)])],
		[
			'changed, at the same size',
			(image: Buffer) => Buffer.concat([image.subarray(0, 99), Buffer.from([0])]),
		],
	])('fails the item, saying what happened, when the image %s after it was checked', async (_, change) => {
		const checked = randomBytes(100);
		checked[99] = 1;
		const target = Buffer.alloc(base64Length(100));
		const writing = writeBinaryBase64(
			storedImage(change(checked)).ctx,
			3,
			'data',
			target,
			checkedAs(checked),
		);
		await expect(writing).rejects.toBeInstanceOf(NodeOperationError);
		await expect(writing).rejects.toMatchObject({
			message: 'The image changed after it was checked [item 3]',
			description: expect.stringMatching(/^Run the node again/),
		});
	});
});
