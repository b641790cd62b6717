import { refuse, type Check } from './check';
import { readImageHeader, sampleOf, type ImageInfo, type ImageSample } from './imageHeader';

/** The API's image rules (docs/API.md, "Image rules"). A file must be under maxBytes; the ratio bounds are inclusive. */
export const IMAGE_LIMITS = { maxBytes: 10 * 1024 * 1024, minSide: 300, maxAspectRatio: 2.5 } as const;

/** Checks an image held whole in memory. */
export function checkImageBytes(bytes: Uint8Array): Check<ImageInfo> {
	return checkImage(sampleOf(bytes));
}

/** Checks an image from a sample of it: its size, format, frame size and ratio, whether it is whole. */
export function checkImage(sample: ImageSample): Check<ImageInfo> {
	// Size first: no need to parse a 40 MB file to reject it.
	if (sample.byteLength >= IMAGE_LIMITS.maxBytes) {
		const mb = (sample.byteLength / (1024 * 1024)).toFixed(1);
		return refuse(
			`The image is ${mb} MB; Kirin accepts images under 10 MB`,
			'Compress or resize the image (a JPEG at 1920 px on the long side is usually well under 10 MB).',
		);
	}
	const header = readImageHeader(sample);
	if (!header.ok) return header;
	const { width, height } = header.value;
	if (width < IMAGE_LIMITS.minSide || height < IMAGE_LIMITS.minSide) {
		return refuse(
			`The image is ${width} × ${height} px; Kirin needs at least ${IMAGE_LIMITS.minSide} px on each side`,
			'Use a larger image, or upscale this one first.',
		);
	}
	// 2w ≤ 5h and 5w ≥ 2h: the ratio is within 1:2.5 … 2.5:1, in integers so the bounds are exact.
	if (2 * width > 5 * height || 5 * width < 2 * height) {
		return refuse(
			`The image is ${width} × ${height} px, an aspect ratio Kirin does not accept`,
			'Crop the image to an aspect ratio between 1:2.5 (tall) and 2.5:1 (wide).',
		);
	}
	return header;
}
