// Which files get classified, in Node and in the browser alike: what is read of each (the first 64 KiB),
// and why a file is skipped instead (empty, too large, binary, not UTF-8 text), as one-line reasons. Text with a
// UTF-16 byte-order mark is read as UTF-16.

/** What is read of each file: the model sees its first 512 characters; heuristics, modelines and technologies read all of this. */
export const READ_BYTES = 64 * 1024;
/** Files larger than this are skipped unless the caller sets another limit (`--max-file-mb`). */
export const DEFAULT_MAX_FILE_BYTES = 16 * 2 ** 20;

/** Why a file of `size` bytes is skipped before reading it, or null when its head should be read. */
export function sizeProblem(size: number, maxFileBytes = DEFAULT_MAX_FILE_BYTES): string | null {
	if (size === 0) return 'empty file';
	if (size > maxFileBytes)
		return `too large (${(size / 2 ** 20).toFixed(1)} MiB, limit ${(maxFileBytes / 2 ** 20).toFixed(0)} MiB)`;
	return null;
}

/** The head of a file (its first READ_BYTES at most) as text, or why it is not text. */
export function decodeFileHead(head: Uint8Array): { content: string } | { problem: string } {
	const utf16 =
		head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : null;
	if (utf16) return decodeUtf16(head, utf16);
	if (head.subarray(0, 8192).includes(0)) return { problem: 'binary file' };
	return decodeText(head, 'utf-8', 'not UTF-8 text');
}

/** UTF-16 text (its byte-order mark says which order), an odd trailing byte of a cut head dropped. */
function decodeUtf16(head: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): { content: string } | { problem: string } {
	return decodeText(
		head.subarray(0, head.length - (head.length % 2)),
		encoding,
		'not UTF-16 text (it starts with a UTF-16 byte-order mark)'
	);
}

/** The bytes as text, or `problem` when more than 1% of it (and over one character) does not decode. */
function decodeText(bytes: Uint8Array, encoding: string, problem: string): { content: string } | { problem: string } {
	const content = new TextDecoder(encoding, { fatal: false }).decode(bytes);
	if ((content.match(/\uFFFD/g)?.length ?? 0) > content.length / 100 + 1) return { problem };
	return { content };
}
