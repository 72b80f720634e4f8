// Weight precisions for the graph: fp16 conversion and 4-bit block quantization in the layout of
// com.microsoft MatMulNBits (bits=4, block 32, symmetric q4_0-style scales, implicit zero point 8).
import { floatToHalf } from '../experts/safetensors.ts';

export type WeightPrecision = 'fp32' | 'fp16' | 'q4';

export const Q4_BLOCK_SIZE = 32;

export interface Q4Weight {
	/** [N, blocksPerRow, 16] packed nibbles, low nibble first. */
	packed: Uint8Array;
	/** [N * blocksPerRow] fp32 scales. */
	scales: Float32Array;
	rows: number;
	cols: number;
	blocksPerRow: number;
}

/** Quantizes a row-major [rows=N, cols=K] matrix (HF [out, in]) to 4 bits per value in blocks of 32 along K. */
export function quantizeQ4(data: Float32Array, rows: number, cols: number): Q4Weight {
	const blocksPerRow = Math.ceil(cols / Q4_BLOCK_SIZE);
	const bytesPerBlock = Q4_BLOCK_SIZE / 2;
	const packed = new Uint8Array(rows * blocksPerRow * bytesPerBlock);
	const scales = new Float32Array(rows * blocksPerRow);
	for (let n = 0; n < rows; n++) {
		for (let b = 0; b < blocksPerRow; b++) {
			const start = n * cols + b * Q4_BLOCK_SIZE;
			const length = Math.min(Q4_BLOCK_SIZE, cols - b * Q4_BLOCK_SIZE);
			// q4_0 style: the value of largest magnitude maps to level -8 exactly (the scale may be negative).
			let extreme = 0;
			for (let k = 0; k < length; k++) if (Math.abs(data[start + k]) > Math.abs(extreme)) extreme = data[start + k];
			const scale = extreme / -8;
			scales[n * blocksPerRow + b] = scale;
			const out = (n * blocksPerRow + b) * bytesPerBlock;
			for (let k = 0; k < length; k++) {
				const q = scale === 0 ? 8 : Math.min(15, Math.max(0, Math.round(data[start + k] / scale) + 8));
				packed[out + (k >> 1)] |= k & 1 ? q << 4 : q;
			}
			for (let k = length; k < Q4_BLOCK_SIZE; k++) packed[out + (k >> 1)] |= k & 1 ? 8 << 4 : 8;
		}
	}
	return { packed, scales, rows, cols, blocksPerRow };
}

/** fp32 values → IEEE fp16 bit patterns. */
export function toFloat16Bits(data: Float32Array): Uint16Array {
	const out = new Uint16Array(data.length);
	for (let i = 0; i < data.length; i++) out[i] = floatToHalf(data[i]);
	return out;
}

/** The values a Q4Weight stands for, row-major [rows, cols] (what MatMulNBits multiplies by). */
export function dequantizeQ4(weight: Q4Weight): Float32Array {
	const { packed, scales, rows, cols, blocksPerRow } = weight;
	const out = new Float32Array(rows * cols);
	for (let n = 0; n < rows; n++) {
		for (let k = 0; k < cols; k++) {
			const block = n * blocksPerRow + Math.floor(k / Q4_BLOCK_SIZE);
			const inBlock = k % Q4_BLOCK_SIZE;
			const byte = packed[block * (Q4_BLOCK_SIZE / 2) + (inBlock >> 1)];
			const q = inBlock & 1 ? byte >> 4 : byte & 15;
			out[n * cols + k] = (q - 8) * scales[block];
		}
	}
	return out;
}
