// @ts-check
// Just enough image reading for the simulator to answer like the API: format by magic bytes and
// the frame size, so it can return 8002009002/8002009005 for what the node should have caught.

/**
 * @param {Buffer} bytes
 * @returns {{ format: 'png' | 'jpeg', width: number, height: number } | null}
 */
function imageSize(bytes) {
	if (
		bytes.length >= 24 &&
		bytes.readUInt32BE(0) === 0x89504e47 &&
		bytes.toString('ascii', 12, 16) === 'IHDR'
	) {
		return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	}
	if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
		let offset = 2;
		while (offset + 9 < bytes.length) {
			if (bytes[offset] !== 0xff) return null;
			while (bytes[offset] === 0xff) offset++;
			const marker = bytes[offset++];
			if (marker === 0xd9 || marker === 0xda) return null;
			if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
			const length = bytes.readUInt16BE(offset);
			if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
				return {
					format: 'jpeg',
					height: bytes.readUInt16BE(offset + 3),
					width: bytes.readUInt16BE(offset + 5),
				};
			}
			offset += length;
		}
	}
	return null;
}

const { deflateSync } = require('node:zlib');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** @param {Buffer} bytes */
function crc32(bytes) {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/**
 * A PNG file from its rows: each row a filter byte (0) then the pixels, 8 bits per sample.
 * @param {number} width @param {number} height @param {0 | 2} colourType 0 greyscale, 2 RGB
 * @param {Buffer} rows
 */
function encodePng(width, height, colourType, rows) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = colourType;
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(rows)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * A valid 8-bit greyscale PNG with a gradient: test images built in memory (the simulator's
 * /samples/ photos are samplePhoto.js).
 * @param {number} width @param {number} height
 */
function makePng(width, height) {
	const row = Buffer.alloc(width + 1);
	for (let x = 0; x < width; x++) row[x + 1] = (x * 255) / Math.max(1, width - 1);
	return encodePng(width, height, 0, Buffer.concat(Array.from({ length: height }, () => row)));
}

module.exports = { imageSize, makePng, pngChunk, encodePng };
