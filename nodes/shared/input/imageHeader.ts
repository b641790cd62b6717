import { accept, refuse, type Check } from './check';

/**
 * Reads an image's format and size from its first bytes (PNG IHDR, JPEG SOF), and whether a PNG
 * is whole from its last ones. Node code may have no dependencies, so this is our own small
 * parser; it never decodes pixels, and it needs only a sample of the file, never all of it.
 */

export type ImageFormat = 'png' | 'jpeg';

export interface ImageInfo {
	format: ImageFormat;
	mimeType: 'image/png' | 'image/jpeg';
	width: number;
	height: number;
	byteLength: number;
}

export type SniffedFormat =
	| ImageFormat
	| 'gif'
	| 'webp'
	| 'heic'
	| 'avif'
	| 'bmp'
	| 'tiff'
	| 'svg'
	| 'pdf'
	| 'unknown';

/**
 * What the checks read of an image: its first bytes (up to its frame header: see headComplete),
 * its last bytes (TAIL_BYTES) and its size. A reader that streams the file keeps only these, so
 * checking a batch never holds a whole image.
 */
export interface ImageSample {
	head: Uint8Array;
	tail: Uint8Array;
	byteLength: number;
}

/** A PNG's IEND chunk is looked for in the file's last bytes. */
export const TAIL_BYTES = 64;

/** The sample of an image held whole in memory. */
export function sampleOf(bytes: Uint8Array): ImageSample {
	return {
		head: bytes,
		tail: bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)),
		byteLength: bytes.length,
	};
}

/**
 * Whether `head` (the first bytes of a file) holds all the header checks need: for a JPEG, its
 * frame header, after metadata segments of any size; for anything else, the first 256 bytes.
 * False means: read on. A head that already shows the file is broken is complete too.
 */
export function headComplete(head: Uint8Array): boolean {
	if (!startsWith(head, [0xff, 0xd8, 0xff])) return head.length >= 256;
	return jpegFrameHeader(head).kind !== 'need-more';
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
	return prefix.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
	return String.fromCharCode(...bytes.subarray(start, end));
}

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
	if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
	if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
	if (ascii(bytes, 4, 8) === 'ftyp') {
		const brand = ascii(bytes, 8, 12);
		if (brand.startsWith('avi')) return 'avif';
		if (['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
	}
	if (ascii(bytes, 0, 2) === 'BM') return 'bmp';
	if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
		return 'tiff';
	if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
	const text = ascii(bytes, 0, Math.min(bytes.length, 256))
		.replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
		.trimStart();
	if (/^<(\?xml|svg)\b/i.test(text)) return 'svg';
	return 'unknown';
}

const FORMAT_NAMES: Record<Exclude<SniffedFormat, ImageFormat | 'unknown'>, string> = {
	gif: 'a GIF',
	webp: 'a WebP',
	heic: 'a HEIC',
	avif: 'an AVIF',
	bmp: 'a BMP',
	tiff: 'a TIFF',
	svg: 'an SVG',
	pdf: 'a PDF',
};

function damaged(format: string, detail: string): Check<ImageInfo> {
	return refuse(
		`The ${format} file is cut off or damaged (${detail})`,
		'Export or download the image again.',
	);
}

function readPng({ head: bytes, tail, byteLength }: ImageSample): Check<ImageInfo> {
	// Signature (8) + IHDR length (4) + type (4) + width (4) + height (4).
	if (byteLength < 24 || bytes.length < 24) return damaged('PNG', 'its header is incomplete');
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (view.getUint32(8) !== 13 || ascii(bytes, 12, 16) !== 'IHDR') {
		return damaged('PNG', 'it does not start with an IHDR header');
	}
	const width = view.getUint32(16);
	const height = view.getUint32(20);
	if (width === 0 || height === 0) return damaged('PNG', 'its header gives a size of 0');
	// A PNG cut off after its header (a partial download) still has a readable size; only the
	// IEND chunk at its end shows it is whole. A little trailing data after IEND is tolerated.
	const afterHeader = Math.max(0, tail.length - (byteLength - 24));
	if (!ascii(tail, afterHeader, tail.length).includes('IEND')) {
		return damaged('PNG', 'its IEND end chunk is missing');
	}
	return {
		ok: true,
		value: { format: 'png', mimeType: 'image/png', width, height, byteLength },
	};
}

// SOFn markers that carry the frame size: baseline, extended, progressive, lossless and the
// arithmetic-coded variants. C4 (DHT), C8 (reserved) and CC (DAC) are not frames.
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

type FrameHeader =
	| { kind: 'found'; width: number; height: number }
	| { kind: 'broken'; detail: string }
	/** The bytes end before the frame header: a cut-off file, or a head that should read on. */
	| { kind: 'need-more' };

/** Walks a JPEG's segments from SOI to its frame header (SOFn), skipping the others' data. */
function jpegFrameHeader(bytes: Uint8Array): FrameHeader {
	let offset = 2; // after SOI
	for (;;) {
		if (offset >= bytes.length) return { kind: 'need-more' };
		if (bytes[offset] !== 0xff) return { kind: 'broken', detail: 'a segment marker is missing' };
		while (bytes[offset] === 0xff) offset++; // fill bytes
		if (offset >= bytes.length) return { kind: 'need-more' };
		const marker = bytes[offset++];
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
		if (marker === 0xd9 || marker === 0xda) return { kind: 'broken', detail: 'it has no frame header' };
		if (offset + 2 > bytes.length) return { kind: 'need-more' };
		const length = (bytes[offset] << 8) | bytes[offset + 1];
		if (length < 2) return { kind: 'broken', detail: 'a segment has a length below 2' };
		if (offset + length > bytes.length) return { kind: 'need-more' };
		if (SOF_MARKERS.has(marker)) {
			if (length < 7) return { kind: 'broken', detail: 'its frame header is too short' };
			const height = (bytes[offset + 3] << 8) | bytes[offset + 4];
			const width = (bytes[offset + 5] << 8) | bytes[offset + 6];
			if (width === 0 || height === 0)
				return { kind: 'broken', detail: 'its frame header gives a size of 0' };
			return { kind: 'found', width, height };
		}
		offset += length;
	}
}

function readJpeg({ head, byteLength }: ImageSample): Check<ImageInfo> {
	const frame = jpegFrameHeader(head);
	if (frame.kind === 'broken') return damaged('JPEG', frame.detail);
	if (frame.kind === 'need-more') {
		// The sample is the image's start: a file longer than it has more, only not read.
		const detail =
			head.length < byteLength
				? `no image size in its first ${Math.round(head.length / 1024)} kB`
				: 'it ends before the image size';
		return damaged('JPEG', detail);
	}
	return accept({
		format: 'jpeg',
		mimeType: 'image/jpeg',
		width: frame.width,
		height: frame.height,
		byteLength,
	});
}

export function readImageHeader(image: Uint8Array | ImageSample): Check<ImageInfo> {
	const sample = image instanceof Uint8Array ? sampleOf(image) : image;
	if (sample.byteLength === 0)
		return refuse('The image is empty (0 bytes)', 'Check the node that provides it.');
	const format = sniffFormat(sample.head);
	if (format === 'png') return readPng(sample);
	if (format === 'jpeg') return readJpeg(sample);
	const name = format === 'unknown' ? 'not an image Kirin can read' : `${FORMAT_NAMES[format]} file`;
	return refuse(
		`The image is ${name}; Kirin accepts only PNG or JPEG images`,
		'Convert it to PNG or JPEG first (for example with the Edit Image node).',
	);
}
