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

module.exports = { imageSize };
