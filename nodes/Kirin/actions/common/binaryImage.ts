import { createHash } from 'crypto';

import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { headComplete, TAIL_BYTES, type ImageSample } from '../../../shared/input/imageHeader';

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
 * Writes the image as base64 into `target`, which is exactly base64Length(image size) long, as
 * it is read. Fails if the image is not the size it had when it was checked.
 */
export async function writeBinaryBase64(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	target: Buffer,
): Promise<void> {
	let written = 0;
	// Base64 turns 3 bytes into 4 characters: bytes past a multiple of 3 wait for the next chunk.
	let carry = Buffer.alloc(0);
	for await (const chunk of chunksOf(ctx, itemIndex, property)) {
		const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
		const whole = bytes.length - (bytes.length % 3);
		written += target.write(bytes.subarray(0, whole).toString('base64'), written, 'latin1');
		carry = Buffer.from(bytes.subarray(whole));
	}
	if (carry.length > 0) written += target.write(carry.toString('base64'), written, 'latin1');
	if (written !== target.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The image changed size after it was checked [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'Run the node again; nothing was sent for this item.',
			},
		);
	}
}
