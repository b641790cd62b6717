import { accept, refuse, type Check } from './check';

export interface DecodedBase64 {
	/** Canonical bare base64 of the bytes: what is sent to the API. */
	base64: string;
	bytes: Buffer;
	declaredMimeType?: string;
}

const DATA_URI = /^data:([^;,]*)(;[^,]*)?,/i;
const ACCEPTED_DATA_URI_TYPES = new Set(['image/png', 'image/jpeg', 'image/jpg']);

/**
 * Decodes a base64 image as users paste it: with or without a `data:image/...;base64,` prefix,
 * with line breaks, or URL-safe. The API wants the bare string, so the prefix never travels.
 */
export function decodeBase64Image(text: string): Check<DecodedBase64> {
	let body = String(text ?? '').trim();
	let declaredMimeType: string | undefined;
	const prefix = DATA_URI.exec(body);
	if (prefix) {
		declaredMimeType = prefix[1].toLowerCase();
		if (!/;base64/i.test(prefix[2] ?? '')) {
			return refuse('The image data URI is not base64-encoded', 'Provide the image as base64.');
		}
		if (!ACCEPTED_DATA_URI_TYPES.has(declaredMimeType)) {
			return refuse(
				`The image data URI says "${declaredMimeType || 'no type'}"; Kirin accepts only PNG or JPEG images`,
				'Convert the image to PNG or JPEG first.',
			);
		}
		body = body.slice(prefix[0].length);
	}
	body = body.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
	if (body === '') return refuse('The image base64 is empty', 'Map the field that holds the image.');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 === 1) {
		return refuse('The image is not valid base64', 'Check that the whole string was copied.');
	}
	const bytes = Buffer.from(body, 'base64');
	if (bytes.length === 0)
		return refuse('The image base64 decodes to nothing', 'Map the field that holds the image.');
	return accept({ base64: bytes.toString('base64'), bytes, declaredMimeType });
}
