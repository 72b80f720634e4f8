// A minimal reader for ustar archives (what the trainer's artifact download is): regular files only, by
// path; pax and GNU long-name records are skipped, links and devices rejected.

const BLOCK = 512;
const decoder = new TextDecoder();

function field(header: Uint8Array, start: number, length: number): string {
	const slice = header.subarray(start, start + length);
	const end = slice.indexOf(0);
	return decoder.decode(end === -1 ? slice : slice.subarray(0, end));
}

export function isTarArchive(bytes: Uint8Array): boolean {
	return bytes.length >= BLOCK && field(bytes, 257, 5) === 'ustar';
}

function checksumMatches(header: Uint8Array): boolean {
	let sum = 0;
	for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
	return Number.parseInt(field(header, 148, 8).trim(), 8) === sum;
}

export function readTarFiles(bytes: Uint8Array): Record<string, Uint8Array> {
	const files: Record<string, Uint8Array> = {};
	let offset = 0;
	while (offset + BLOCK <= bytes.length) {
		const header = bytes.subarray(offset, offset + BLOCK);
		if (header.every((byte) => byte === 0)) break;
		if (!checksumMatches(header)) throw new Error(`bad header checksum at byte ${offset}`);
		const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
		const type = String.fromCharCode(header[156] || 48);
		const prefix = field(header, 345, 155);
		const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
		const dataStart = offset + BLOCK;
		if (dataStart + size > bytes.length) throw new Error(`${name} is truncated`);
		if (type === '0' || type === '7') files[name] = bytes.slice(dataStart, dataStart + size);
		else if (!['5', 'x', 'g', 'L'].includes(type)) throw new Error(`${name}: unsupported entry type "${type}"`);
		offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
	}
	return files;
}
