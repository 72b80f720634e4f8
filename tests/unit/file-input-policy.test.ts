// file-input-policy.ts: what the classifier reads of a file, the same in Node and the browser: UTF-8 text as
// it is, UTF-16 text (a byte-order mark says which order) decoded rather than called binary, binary and
// undecodable bytes skipped with a one-line reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFileHead } from '../../src/lib/classify/file-input-policy.ts';

const REAL_TEXT = readFileSync(path.resolve(import.meta.dirname, '../fixtures/repository/src/say.lua'), 'utf8');

function utf16(text: string, order: 'le' | 'be'): Uint8Array {
	const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
	if (order === 'le') return new Uint8Array(le);
	const be = Buffer.alloc(le.length);
	for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
	return new Uint8Array(be);
}

describe('decodeFileHead', () => {
	it('reads UTF-8 text as it is', () => {
		expect(decodeFileHead(new TextEncoder().encode(REAL_TEXT))).toEqual({ content: REAL_TEXT });
	});

	it('reads UTF-16 text in either byte order, and a head cut mid-character', () => {
		expect(decodeFileHead(utf16(REAL_TEXT, 'le'))).toEqual({ content: REAL_TEXT });
		expect(decodeFileHead(utf16(REAL_TEXT, 'be'))).toEqual({ content: REAL_TEXT });
		expect(decodeFileHead(utf16(REAL_TEXT, 'le').subarray(0, 101))).toEqual({ content: REAL_TEXT.slice(0, 49) });
	});

	it('skips binary bytes and undecodable text with the reason', () => {
		expect(decodeFileHead(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 8, 0]))).toEqual({ problem: 'binary file' });
		expect(decodeFileHead(new Uint8Array(400).map((_, i) => 0x80 + (i % 64)))).toEqual({ problem: 'not UTF-8 text' });
		const lonelySurrogates = new Uint8Array([
			0xff,
			0xfe,
			...Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0x00 : 0xdc))
		]);
		expect(decodeFileHead(lonelySurrogates)).toEqual({
			problem: 'not UTF-16 text (it starts with a UTF-16 byte-order mark)'
		});
	});
});
