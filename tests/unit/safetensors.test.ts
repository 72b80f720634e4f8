// safetensors read/write: F32/F16/BF16 round trips (incl. bf16 round-to-nearest-even), zero-copy views,
// and one-line errors for truncated headers, oversized header lengths, bad offsets and bad dtypes.
import { describe, expect, it } from 'vitest';
import { ExpertError } from '../../src/lib/errors.ts';
import {
	bfloat16ToFloat,
	floatToBfloat16,
	floatToHalf,
	halfToFloat,
	parseSafetensors,
	serializeSafetensors,
	tensorToFloat32
} from '../../src/lib/experts/safetensors.ts';

/** Builds a file from a raw header object and data bytes (for malformed inputs the writer refuses to make). */
function rawFile(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
	const json = new TextEncoder().encode(JSON.stringify(header));
	const out = new Uint8Array(8 + json.length + data.length);
	new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
	out.set(json, 8);
	out.set(data, 8 + json.length);
	return out;
}

function expectOneLineError(run: () => unknown, pattern: RegExp): void {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(ExpertError);
		const message = (error as Error).message;
		expect(message).not.toContain('\n');
		expect(message).toMatch(pattern);
		return;
	}
	throw new Error('expected an ExpertError');
}

describe('safetensors round trip', () => {
	const values = new Float32Array([0, 1, -2.5, 3.140625, 65504, -1e-3, 1e-7, 123.456]);

	it('keeps F32 values exactly, with shapes, names and metadata', () => {
		const bytes = serializeSafetensors(
			{
				'b.weight': { dtype: 'F32', shape: [2, 4], data: values },
				'a.bias': { dtype: 'F32', shape: [1], data: new Float32Array([7]) }
			},
			{ format: 'pt' }
		);
		const file = parseSafetensors(bytes, 'x.safetensors');
		expect(file.metadata).toEqual({ format: 'pt' });
		expect([...file.tensors.keys()].sort()).toEqual(['a.bias', 'b.weight']);
		const tensor = file.tensors.get('b.weight')!;
		expect(tensor.shape).toEqual([2, 4]);
		expect(tensor.dtype).toBe('F32');
		expect(tensorToFloat32(tensor)).toEqual(values);
		expect(tensorToFloat32(file.tensors.get('a.bias')!)).toEqual(new Float32Array([7]));
	});

	it('stores F16 to the nearest half (exact where representable) and reads it back', () => {
		const file = parseSafetensors(serializeSafetensors({ t: { dtype: 'F16', shape: [8], data: values } }));
		const back = tensorToFloat32(file.tensors.get('t')!);
		expect(file.tensors.get('t')!.bytes.byteLength).toBe(16);
		for (let i = 0; i < values.length; i++) {
			expect(back[i]).toBe(halfToFloat(floatToHalf(values[i])));
			expect(Math.abs(back[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -11 + 2 ** -24);
		}
		expect(back[4]).toBe(65504); // largest finite half
		expect(halfToFloat(floatToHalf(70000))).toBe(Infinity);
		expect(halfToFloat(floatToHalf(2 ** -24))).toBe(2 ** -24); // smallest subnormal
		expect(halfToFloat(floatToHalf(1 + 2 ** -11))).toBe(1); // tie rounds to even
		expect(halfToFloat(floatToHalf(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
	});

	it('stores BF16 with round-to-nearest-even and keeps NaN and infinities', () => {
		// 1 + 2^-8 is exactly halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one (1).
		expect(bfloat16ToFloat(floatToBfloat16(1 + 2 ** -8))).toBe(1);
		// 1 + 3 * 2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up to the even one.
		expect(bfloat16ToFloat(floatToBfloat16(1 + 3 * 2 ** -8))).toBe(1 + 2 ** -6);
		// just above a tie rounds up, not truncates
		expect(bfloat16ToFloat(floatToBfloat16(1 + 2 ** -8 + 2 ** -20))).toBe(1 + 2 ** -7);
		expect(bfloat16ToFloat(floatToBfloat16(-3.140625))).toBe(-3.140625);
		expect(Number.isNaN(bfloat16ToFloat(floatToBfloat16(Number.NaN)))).toBe(true);
		expect(bfloat16ToFloat(floatToBfloat16(-Infinity))).toBe(-Infinity);
		const file = parseSafetensors(serializeSafetensors({ t: { dtype: 'BF16', shape: [2, 2, 2], data: values } }));
		const back = tensorToFloat32(file.tensors.get('t')!);
		for (let i = 0; i < values.length; i++) {
			expect(back[i]).toBe(bfloat16ToFloat(floatToBfloat16(values[i])));
			expect(Math.abs(back[i] - values[i])).toBeLessThanOrEqual(Math.abs(values[i]) * 2 ** -8);
		}
	});

	it('returns views into the given buffer instead of copies', () => {
		const bytes = serializeSafetensors({ t: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
		const tensor = parseSafetensors(bytes).tensors.get('t')!;
		expect(tensor.bytes.buffer).toBe(bytes.buffer);
		new DataView(bytes.buffer).setFloat32(bytes.byteLength - 4, 9, true);
		expect(tensorToFloat32(tensor)[1]).toBe(9);
	});

	it('refuses to write data that does not fill the shape', () => {
		expectOneLineError(
			() => serializeSafetensors({ t: { dtype: 'F32', shape: [3], data: new Float32Array(2) } }),
			/tensor t: 2 values for shape \[3\]/
		);
	});
});

describe('safetensors bad input', () => {
	const good = serializeSafetensors({ t: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
	const data8 = new Uint8Array(8);

	it('rejects a file too short for the header length', () => {
		expectOneLineError(
			() => parseSafetensors(good.subarray(0, 5), 'short.safetensors'),
			/^short\.safetensors: file is 5 bytes/
		);
	});
	it('rejects a truncated header', () => {
		const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
		expectOneLineError(
			() => parseSafetensors(good.subarray(0, 8 + headerLength - 3), 'cut'),
			/header length \d+ is larger than the file/
		);
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: 1 }, new Uint8Array(0), 3), 'cut'),
			/header is not valid UTF-8 JSON/
		);
	});
	it('rejects a header length larger than the file, and absurd lengths', () => {
		expectOneLineError(
			() => parseSafetensors(rawFile({}, data8, 5000), 'big'),
			/big: header length 5000 is larger than the file \(\d+ bytes\)/
		);
		expectOneLineError(() => parseSafetensors(rawFile({}, data8, 2 ** 40), 'huge'), /exceeds the \d+-byte limit/);
	});
	it('rejects tensor offsets out of range, reversed, or not matching the shape', () => {
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, data8)),
			/tensor t: data_offsets \[0, 16\] out of range \(data section is 8 bytes\)/
		);
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: { dtype: 'F32', shape: [1], data_offsets: [8, 4] } }, data8)),
			/out of range/
		);
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data8)),
			/8 bytes for shape \[3\] F32, expected 12/
		);
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: { dtype: 'F32', shape: [2], data_offsets: [0] } }, data8)),
			/data_offsets must be two non-negative integers/
		);
	});
	it('rejects tensors whose data overlap', () => {
		const overlapping = {
			a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
			b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }
		};
		expectOneLineError(
			() => parseSafetensors(rawFile(overlapping, data8), 'w'),
			/^w: tensors a \[0, 8\] and b \[4, 8\] overlap$/
		);
		const aliased = {
			a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
			b: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }
		};
		expectOneLineError(() => parseSafetensors(rawFile(aliased, data8), 'w'), /overlap/);
		const side = {
			a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
			b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
			e: { dtype: 'F32', shape: [0], data_offsets: [4, 4] }
		};
		expect([...parseSafetensors(rawFile(side, data8)).tensors.keys()]).toEqual(['a', 'b', 'e']);
	});
	it('rejects unsupported dtypes and malformed entries', () => {
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, data8), 'w'),
			/^w: tensor t: unsupported dtype "I64" \(supported: F32, F16, BF16\)/
		);
		expectOneLineError(
			() => parseSafetensors(rawFile({ t: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, data8)),
			/shape must be an array of non-negative integers/
		);
		expectOneLineError(() => parseSafetensors(rawFile({ t: null }, data8)), /tensor t: entry is not an object/);
		expectOneLineError(() => parseSafetensors(rawFile([1, 2], data8)), /header is not a JSON object/);
		expectOneLineError(
			() => parseSafetensors(rawFile({ __metadata__: { a: 1 } }, data8)),
			/__metadata__\.a is not a string/
		);
	});
});
