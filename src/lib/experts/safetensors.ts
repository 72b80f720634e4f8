// Reads and writes the safetensors format (8-byte header length, JSON header, raw little-endian data)
// for fp32/fp16/bf16 tensors. Reading returns views into the caller's buffer: nothing is copied until
// a tensor is converted to Float32Array.
import { ExpertError } from '../errors.ts';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

export interface TensorView {
	name: string;
	dtype: SafetensorsDtype;
	shape: number[];
	/** The tensor's raw bytes, a view into the file's buffer. */
	bytes: Uint8Array;
}

export interface SafetensorsFile {
	metadata: Record<string, string>;
	tensors: Map<string, TensorView>;
}

export interface TensorToWrite {
	dtype: SafetensorsDtype;
	shape: number[];
	/** Values in row-major order; converted to the dtype on write. */
	data: Float32Array;
}

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

function fail(source: string, message: string): never {
	throw new ExpertError('bad-safetensors', `${source}: ${message}`);
}

/** Parses a safetensors file held in memory; `source` names it in error messages. */
export function parseSafetensors(buffer: Uint8Array, source = 'safetensors'): SafetensorsFile {
	if (buffer.byteLength < 8) fail(source, `file is ${buffer.byteLength} bytes, too short for the 8-byte header length`);
	const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
	const headerLength = Number(view.getBigUint64(0, true));
	if (headerLength > MAX_HEADER_BYTES)
		fail(source, `header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
	if (8 + headerLength > buffer.byteLength) {
		fail(source, `header length ${headerLength} is larger than the file (${buffer.byteLength} bytes)`);
	}
	let header: unknown;
	try {
		header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(8, 8 + headerLength)));
	} catch {
		fail(source, 'header is not valid UTF-8 JSON (truncated or corrupt file?)');
	}
	if (typeof header !== 'object' || header === null || Array.isArray(header))
		fail(source, 'header is not a JSON object');
	const dataStart = 8 + headerLength;
	const dataLength = buffer.byteLength - dataStart;
	const tensors = new Map<string, TensorView>();
	let metadata: Record<string, string> = {};
	for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
		if (name === '__metadata__') {
			metadata = parseMetadata(entry, source);
			continue;
		}
		tensors.set(name, parseEntry(name, entry, buffer, dataStart, dataLength, source));
	}
	checkNoOverlap(tensors, buffer.byteOffset + dataStart, source);
	return { metadata, tensors };
}

/** Rejects tensors whose byte ranges overlap (a crafted file could make two tensors share, or alias, data). */
function checkNoOverlap(tensors: Map<string, TensorView>, dataOffset: number, source: string): void {
	const ranges = [...tensors.values()]
		.filter((tensor) => tensor.bytes.byteLength > 0)
		.map((tensor) => ({
			name: tensor.name,
			begin: tensor.bytes.byteOffset - dataOffset,
			end: tensor.bytes.byteOffset - dataOffset + tensor.bytes.byteLength
		}))
		.sort((a, b) => a.begin - b.begin);
	for (let i = 1; i < ranges.length; i++) {
		const [previous, current] = [ranges[i - 1], ranges[i]];
		if (current.begin < previous.end)
			fail(
				source,
				`tensors ${previous.name} [${previous.begin}, ${previous.end}] and ${current.name} [${current.begin}, ${current.end}] overlap`
			);
	}
}

/** How many values are NaN or ±Infinity (weights that would make every output NaN). */
export function countNonFinite(values: Float32Array): number {
	let count = 0;
	for (const value of values) if (!Number.isFinite(value)) count++;
	return count;
}

function parseMetadata(entry: unknown, source: string): Record<string, string> {
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
		fail(source, '__metadata__ is not an object');
	for (const [key, value] of Object.entries(entry)) {
		if (typeof value !== 'string') fail(source, `__metadata__.${key} is not a string`);
	}
	return entry as Record<string, string>;
}

function parseEntry(
	name: string,
	entry: unknown,
	buffer: Uint8Array,
	dataStart: number,
	dataLength: number,
	source: string
): TensorView {
	const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
	if (typeof e !== 'object' || e === null) fail(source, `tensor ${name}: entry is not an object`);
	if (e.dtype !== 'F32' && e.dtype !== 'F16' && e.dtype !== 'BF16') {
		fail(source, `tensor ${name}: unsupported dtype ${JSON.stringify(e.dtype)} (supported: F32, F16, BF16)`);
	}
	const shape = e.shape;
	if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
		fail(source, `tensor ${name}: shape must be an array of non-negative integers`);
	}
	const offsets = e.data_offsets;
	if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
		fail(source, `tensor ${name}: data_offsets must be two non-negative integers`);
	}
	const [begin, end] = offsets as [number, number];
	if (begin > end || end > dataLength) {
		fail(source, `tensor ${name}: data_offsets [${begin}, ${end}] out of range (data section is ${dataLength} bytes)`);
	}
	const elements = (shape as number[]).reduce((a, b) => a * b, 1);
	const expected = elements * BYTES_PER_ELEMENT[e.dtype];
	if (end - begin !== expected) {
		fail(
			source,
			`tensor ${name}: ${end - begin} bytes for shape [${shape.join(', ')}] ${e.dtype}, expected ${expected}`
		);
	}
	return { name, dtype: e.dtype, shape: shape as number[], bytes: buffer.subarray(dataStart + begin, dataStart + end) };
}

/** Converts a tensor to fp32 values (a fresh array; fp32 data is copied so it is aligned). */
export function tensorToFloat32(tensor: TensorView): Float32Array {
	const count = tensor.bytes.byteLength / BYTES_PER_ELEMENT[tensor.dtype];
	const view = new DataView(tensor.bytes.buffer, tensor.bytes.byteOffset, tensor.bytes.byteLength);
	const out = new Float32Array(count);
	if (tensor.dtype === 'F32') {
		for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
	} else if (tensor.dtype === 'F16') {
		for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
	} else {
		for (let i = 0; i < count; i++) out[i] = bfloat16ToFloat(view.getUint16(i * 2, true));
	}
	return out;
}

/** Serializes tensors (sorted by name, 8-byte aligned header) with optional string metadata. */
export function serializeSafetensors(
	tensors: Record<string, TensorToWrite>,
	metadata?: Record<string, string>
): Uint8Array {
	const names = Object.keys(tensors).sort();
	const header: Record<string, unknown> = {};
	if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
	let offset = 0;
	for (const name of names) {
		const t = tensors[name];
		const elements = t.shape.reduce((a, b) => a * b, 1);
		if (elements !== t.data.length) {
			throw new ExpertError('bad-tensor', `tensor ${name}: ${t.data.length} values for shape [${t.shape.join(', ')}]`);
		}
		const size = elements * BYTES_PER_ELEMENT[t.dtype];
		header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
		offset += size;
	}
	let headerBytes = new TextEncoder().encode(JSON.stringify(header));
	const padded = Math.ceil(headerBytes.byteLength / 8) * 8;
	const headerPadded = new Uint8Array(padded).fill(0x20);
	headerPadded.set(headerBytes);
	headerBytes = headerPadded;
	const out = new Uint8Array(8 + headerBytes.byteLength + offset);
	const view = new DataView(out.buffer);
	view.setBigUint64(0, BigInt(headerBytes.byteLength), true);
	out.set(headerBytes, 8);
	let cursor = 8 + headerBytes.byteLength;
	for (const name of names) {
		const t = tensors[name];
		for (let i = 0; i < t.data.length; i++) {
			if (t.dtype === 'F32') view.setFloat32(cursor + i * 4, t.data[i], true);
			else if (t.dtype === 'F16') view.setUint16(cursor + i * 2, floatToHalf(t.data[i]), true);
			else view.setUint16(cursor + i * 2, floatToBfloat16(t.data[i]), true);
		}
		cursor += t.data.length * BYTES_PER_ELEMENT[t.dtype];
	}
	return out;
}

const scratch = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary16 bits → number. */
export function halfToFloat(bits: number): number {
	const sign = bits & 0x8000 ? -1 : 1;
	const exponent = (bits >> 10) & 0x1f;
	const fraction = bits & 0x3ff;
	if (exponent === 0) return sign * fraction * 2 ** -24;
	if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
	return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** number → IEEE 754 binary16 bits, round to nearest even. */
export function floatToHalf(value: number): number {
	scratch.setFloat32(0, value);
	const x = scratch.getUint32(0);
	const sign = (x >>> 16) & 0x8000;
	const exponent = (x >>> 23) & 0xff;
	let mantissa = x & 0x7fffff;
	if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
	const e = exponent - 127 + 15;
	if (e >= 0x1f) return sign | 0x7c00;
	if (e <= 0) {
		if (e < -10) return sign;
		mantissa |= 0x800000;
		const shift = 14 - e;
		const half = mantissa >>> shift;
		const rest = mantissa & ((1 << shift) - 1);
		const midpoint = 1 << (shift - 1);
		return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
	}
	let half = (e << 10) | (mantissa >>> 13);
	const rest = mantissa & 0x1fff;
	if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1;
	return sign | half;
}

/** bfloat16 bits → number. */
export function bfloat16ToFloat(bits: number): number {
	scratch.setUint32(0, bits << 16);
	return scratch.getFloat32(0);
}

/** number → bfloat16 bits, round to nearest even (NaN stays NaN). */
export function floatToBfloat16(value: number): number {
	scratch.setFloat32(0, value);
	const x = scratch.getUint32(0);
	if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return ((x >>> 16) | 0x40) & 0xffff;
	const rounded = x + 0x7fff + ((x >>> 16) & 1);
	return (rounded >>> 16) & 0xffff;
}
