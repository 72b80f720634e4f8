// Builds a small byte-level BPE tokenizer (tokenizer.json + tokenizer_config.json with a ChatML template)
// for random models: 256 byte tokens, merges learned from a fixed text, three special tokens.
import { bpeTokenizerFiles, byteToUnicodeTable } from './bpe-tokenizer-files.ts';

const PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const TRAINING_TEXT = [
	'The quick brown fox jumps over the lazy dog. Hello world, this is a tiny model for tests.',
	'{"type": "source-code", "language": "Python", "technologies": ["flask", "django"]}',
	'{"type": "config", "language": "YAML", "technologies": ["docker"]}',
	'{"type": "documentation", "language": "Markdown", "technologies": []}',
	'def main():\n    return print("hello")\n\nfunction hello() { return 42; }',
	'user assistant system: You are a helpful assistant. Answer with JSON only.'
].join('\n');

export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

interface LearnedBpe {
	vocab: Record<string, number>;
	merges: string[];
}

/** Learns `mergeCount` merges from the fixed training text (deterministic: ties broken by pair text). */
function learnBpe(mergeCount: number): LearnedBpe {
	const table = byteToUnicodeTable();
	const encoder = new TextEncoder();
	const words = (TRAINING_TEXT.match(PRETOKENIZE) ?? []).map((w) => Array.from(encoder.encode(w), (b) => table[b]));
	const vocab: Record<string, number> = {};
	table.forEach((symbol, id) => (vocab[symbol] = id));
	const merges: string[] = [];
	while (merges.length < mergeCount) {
		const counts = new Map<string, number>();
		for (const word of words) {
			for (let i = 0; i + 1 < word.length; i++) {
				const key = `${word[i]} ${word[i + 1]}`;
				counts.set(key, (counts.get(key) ?? 0) + 1);
			}
		}
		let best = '';
		let bestCount = 0;
		for (const [key, count] of counts) {
			if (count > bestCount || (count === bestCount && key < best)) [best, bestCount] = [key, count];
		}
		if (!best) break;
		const [left, right] = best.split(' ');
		merges.push(best);
		vocab[left + right] = Object.keys(vocab).length;
		for (const word of words) {
			for (let i = 0; i + 1 < word.length; i++) {
				if (word[i] === left && word[i + 1] === right) word.splice(i, 2, left + right);
			}
		}
	}
	return { vocab, merges };
}

export interface TinyTokenizerFiles {
	tokenizerJson: object;
	tokenizerConfigJson: object;
	/** Number of tokens the tokenizer knows (bytes + merges + special tokens). */
	tokenCount: number;
	specialTokenIds: Record<(typeof SPECIAL_TOKENS)[number], number>;
}

export function buildTinyTokenizer(mergeCount = 117): TinyTokenizerFiles {
	const { vocab, merges } = learnBpe(mergeCount);
	const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
	return bpeTokenizerFiles({
		vocab,
		merges,
		specialTokens: SPECIAL_TOKENS,
		preTokenizer: byteLevel,
		decoder: byteLevel,
		modelMaxLength: 512,
		padToken: '<|endoftext|>'
	});
}
