// Tokenizes the assembled corpus with the trained tokenizer (through the same @huggingface/transformers
// code inference uses) into flat token files for pre-training: uint16 little-endian, <|endoftext|> after each document.
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';
import { loadTokenizer } from '../runtime/tokenizer.ts';
import type { CorpusDocument } from './corpus-assembly-fs.ts';
import { concatArrays } from '../concat-arrays.ts';

export interface TokenizedCorpus {
	trainTokens: number;
	heldoutTokens: number;
	/** Tokens per source name, train and held-out together. */
	tokensBySource: Record<string, number>;
	trainBytes: number;
}

export const TRAIN_TOKENS_FILE = 'train.bin';
export const HELDOUT_TOKENS_FILE = 'heldout.bin';

/** Reads documents.jsonl, encodes every document and writes train.bin and heldout.bin into `outDir`. */
export async function tokenizeCorpus(
	documentsPath: string,
	tokenizerDir: string,
	endOfTextId: number,
	outDir: string,
	onProgress?: (done: number, total: number) => void
): Promise<TokenizedCorpus> {
	const tokenizer = await loadTokenizer(tokenizerDir);
	if (endOfTextId > 0xffff)
		throw new ExpertError(
			'vocab-too-large',
			`${tokenizerDir}: token ids above 65535 do not fit the uint16 token files`
		);
	const documents = (await readFile(documentsPath, 'utf8'))
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as CorpusDocument);
	const streams = { train: [] as Uint16Array[], heldout: [] as Uint16Array[] };
	const tokensBySource: Record<string, number> = {};
	let trainBytes = 0;
	documents.forEach((document, index) => {
		const ids = tokenizer.encode(document.text);
		ids.push(endOfTextId);
		streams[document.heldout ? 'heldout' : 'train'].push(Uint16Array.from(ids));
		tokensBySource[document.source] = (tokensBySource[document.source] ?? 0) + ids.length;
		if (!document.heldout) trainBytes += Buffer.byteLength(document.text);
		if (index % 100 === 0 || index === documents.length - 1) onProgress?.(index + 1, documents.length);
	});
	const write = async (name: string, chunks: Uint16Array[]) => {
		const flat = concatArrays(chunks, Uint16Array);
		const total = flat.length;
		const target = path.join(outDir, name);
		await writeFile(`${target}.tmp`, new Uint8Array(flat.buffer));
		await rename(`${target}.tmp`, target);
		return total;
	};
	const trainTokens = await write(TRAIN_TOKENS_FILE, streams.train);
	const heldoutTokens = await write(HELDOUT_TOKENS_FILE, streams.heldout);
	return { trainTokens, heldoutTokens, tokensBySource, trainBytes };
}
