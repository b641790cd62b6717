/**
 * Reads what a player reads first from an MP4 file: the movie's duration, and of its video
 * track the codec, the frame size, the number of frames and their rate. Enough to tell a real
 * clip from bytes named .mp4 without ffprobe (the unit tests run before ffmpeg is installed).
 */
export interface Mp4Info {
	/** seconds, from the movie header */
	duration: number;
	codec: string;
	width: number;
	height: number;
	frames: number;
	/** frames per second, from the track's time scale and its sample durations */
	fps: number;
	/** whether the movie box comes before the media data (playback can start while downloading) */
	fastStart: boolean;
}

interface Box {
	type: string;
	body: Buffer;
	offset: number;
}

function boxes(bytes: Buffer, base = 0): Box[] {
	const found: Box[] = [];
	for (let at = 0; at + 8 <= bytes.length; ) {
		let size = bytes.readUInt32BE(at);
		let header = 8;
		if (size === 1) {
			size = Number(bytes.readBigUInt64BE(at + 8));
			header = 16;
		} else if (size === 0) {
			size = bytes.length - at;
		}
		if (size < header || at + size > bytes.length) throw new Error(`broken MP4 box at byte ${base + at}`);
		found.push({
			type: bytes.toString('latin1', at + 4, at + 8),
			body: bytes.subarray(at + header, at + size),
			offset: base + at,
		});
		at += size;
	}
	return found;
}

function child(parent: Buffer, path: string[]): Buffer {
	let body = parent;
	for (const type of path) {
		const box = boxes(body).find((candidate) => candidate.type === type);
		if (!box) throw new Error(`MP4 has no ${path.join('/')} box`);
		body = box.body;
	}
	return body;
}

/** Time scale and duration of an mvhd or mdhd box (versions 0 and 1). */
function timing(header: Buffer): { timescale: number; duration: number } {
	return header[0] === 1
		? { timescale: header.readUInt32BE(20), duration: Number(header.readBigUInt64BE(24)) }
		: { timescale: header.readUInt32BE(12), duration: header.readUInt32BE(16) };
}

export function readMp4(bytes: Buffer): Mp4Info {
	const top = boxes(bytes);
	if (top[0]?.type !== 'ftyp') throw new Error('not an MP4 file: it does not start with an ftyp box');
	const moov = top.find((box) => box.type === 'moov');
	const mdat = top.find((box) => box.type === 'mdat');
	if (!moov || !mdat) throw new Error('MP4 lacks its moov or mdat box');
	const movie = timing(child(moov.body, ['mvhd']));
	const video = boxes(moov.body)
		.filter((box) => box.type === 'trak')
		.find((trak) => child(trak.body, ['mdia', 'hdlr']).toString('latin1', 8, 12) === 'vide');
	if (!video) throw new Error('MP4 has no video track');
	const tkhd = child(video.body, ['tkhd']);
	const track = timing(child(video.body, ['mdia', 'mdhd']));
	const stbl = child(video.body, ['mdia', 'minf', 'stbl']);
	const stts = child(stbl, ['stts']);
	let frames = 0;
	let ticks = 0;
	for (let entry = 0; entry < stts.readUInt32BE(4); entry++) {
		const count = stts.readUInt32BE(8 + entry * 8);
		frames += count;
		ticks += count * stts.readUInt32BE(12 + entry * 8);
	}
	return {
		duration: movie.duration / movie.timescale,
		codec: child(stbl, ['stsd']).toString('latin1', 12, 16),
		// 16.16 fixed point, the last eight bytes of the track header
		width: tkhd.readUInt32BE(tkhd.length - 8) / 65536,
		height: tkhd.readUInt32BE(tkhd.length - 4) / 65536,
		frames,
		fps: frames / (ticks / track.timescale),
		fastStart: moov.offset < mdat.offset,
	};
}
