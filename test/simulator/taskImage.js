// @ts-check
// The picture a task was created with, as bytes, for rendering its video: the bare base64 the
// node sends, or an http(s) URL. Only URLs on this machine are fetched (the demo's point at the
// simulator's own /samples/); the simulator must not become a way to reach other hosts.
const { imageSize } = require('./images');

const MAX_BYTES = 10 * 1024 * 1024;

/** @param {string} hostname as `URL` gives it (IPv6 in brackets) */
function isLoopback(hostname) {
	return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * @param {unknown} image the task's `image` parameter
 * @returns {Promise<{ bytes: Buffer, width: number, height: number } | { reason: string }>}
 */
async function taskImage(image) {
	if (typeof image !== 'string') return { reason: 'the task has no image' };
	let bytes;
	if (/^https?:\/\//i.test(image)) {
		const url = new URL(image);
		if (!isLoopback(url.hostname)) return { reason: `${url.host} is not a loopback address` };
		try {
			// No redirects: a loopback URL could send the fetch anywhere.
			const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
			if (!response.ok) return { reason: `the image URL answered ${response.status}` };
			bytes = Buffer.from(await response.arrayBuffer());
		} catch (error) {
			return { reason: `the image URL could not be read: ${String(error)}` };
		}
	} else {
		bytes = Buffer.from(image, 'base64');
	}
	const size = imageSize(bytes);
	if (!size || bytes.length >= MAX_BYTES) return { reason: 'the image is not a PNG or JPEG under 10 MB' };
	return { bytes, width: size.width, height: size.height };
}

module.exports = { taskImage, isLoopback };
