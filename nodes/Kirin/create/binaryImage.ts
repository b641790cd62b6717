import { createHash } from 'crypto';

import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { headComplete, TAIL_BYTES, type ImageSample } from '../../shared/input/imageHeader';

/**
 * An item's binary image, read in chunks and never held whole: once to check and digest it (the
 * check pass, before anything is sent), once more to send it (inside the create window, written
 * as base64 straight into the request body). A batch of 500 photos so costs the memory of its
 * creates in flight, not of the batch.
 */

const CHUNK_BYTES = 256 * 1024;

/**
 * The most of an image's start kept for its header checks. A JPEG's frame header follows its
 * metadata segments (EXIF, ICC, XMP: rarely more than a few hundred kB); without one in the first
 * 2 MB the image is refused as damaged, and a corrupt file is never held whole.
 */
const MAX_HEAD_BYTES = 2 * 1024 * 1024;

/**
 * The image's bytes, chunk by chunk: streamed from n8n's binary data store when the image lives
 * there (filesystem, S3 or database mode), else the buffer n8n already holds in memory.
 */
async function* chunksOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
): AsyncGenerator<Buffer> {
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);
	if (binary.id) {
		for await (const chunk of await ctx.helpers.getBinaryStream(binary.id, CHUNK_BYTES))
			yield chunk as Buffer;
	} else {
		yield await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	}
}

/** Reads the image once: its SHA-256 digest, and the sample the image checks need. */
export async function sampleBinaryImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
): Promise<{ sample: ImageSample; digest: string }> {
	const hash = createHash('sha256');
	let head = Buffer.alloc(0);
	let tail = Buffer.alloc(0);
	let byteLength = 0;
	for await (const chunk of chunksOf(ctx, itemIndex, property)) {
		hash.update(chunk);
		byteLength += chunk.length;
		if (!headComplete(head) && head.length < MAX_HEAD_BYTES) {
			head = Buffer.concat([head, chunk]).subarray(0, MAX_HEAD_BYTES);
		}
		tail = Buffer.from(Buffer.concat([tail, chunk.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES));
	}
	return { sample: { head, tail, byteLength }, digest: hash.digest('hex') };
}

/** How long `byteLength` bytes are in base64. */
export function base64Length(byteLength: number): number {
	return 4 * Math.ceil(byteLength / 3);
}

/**
 * Base64 is made in slices of 48 kB (a multiple of 3, so no slice needs the next one's bytes):
 * strings of 64 kB stay in V8's young generation, which is emptied often. A string per 256 kB
 * chunk would wait in the old generation for a full collection, and a batch would hold a second
 * copy of every image in flight as garbage.
 */
const ENCODE_SLICE_BYTES = 48 * 1024;

/** What the image was when it was checked: its size and SHA-256 digest (hex). */
export interface CheckedImage {
	byteLength: number;
	digest: string;
}

/**
 * Writes the image as base64 into `target`, which is exactly base64Length(image size) long, as
 * it is read. Fails if the image is not, byte for byte, the one that was checked (its size and
 * digest): what is sent is what was checked and paid for.
 */
export async function writeBinaryBase64(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	target: Buffer,
	checked: CheckedImage,
): Promise<void> {
	const hash = createHash('sha256');
	let read = 0;
	let written = 0;
	// Base64 turns 3 bytes into 4 characters: bytes past a multiple of 3 wait for the next chunk.
	let carry = Buffer.alloc(0);
	for await (const chunk of chunksOf(ctx, itemIndex, property)) {
		hash.update(chunk);
		read += chunk.length;
		if (read > checked.byteLength) break;
		const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
		const whole = bytes.length - (bytes.length % 3);
		for (let at = 0; at < whole; at += ENCODE_SLICE_BYTES) {
			const slice = bytes.subarray(at, Math.min(whole, at + ENCODE_SLICE_BYTES));
			written += target.write(slice.toString('base64'), written, 'latin1');
		}
		carry = Buffer.from(bytes.subarray(whole));
	}
	if (carry.length > 0) written += target.write(carry.toString('base64'), written, 'latin1');
	if (read !== checked.byteLength || written !== target.length || hash.digest('hex') !== checked.digest) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The image changed after it was checked [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'Run the node again; nothing was sent for this item.',
			},
		);
	}
}
