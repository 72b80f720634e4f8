// The embedded base model's tokenizer: Qwen2-style pre-token split, byte-level BPE merges learned by
// bpe-trainer.ts, four special tokens, written as HF tokenizer.json + tokenizer_config.json (ChatML template).
import { learnMerges } from './bpe-trainer.ts';
import { BASE_SPECIAL_TOKENS, type BaseSpecialToken } from '../model/base-model-config.ts';
import { bpeTokenizerFiles, byteToUnicodeTable } from '../model/bpe-tokenizer-files.ts';

/**
 * Qwen2's pre-tokenizer split (contractions, words with one leading non-letter, single digits, punctuation
 * runs, newlines, indentation), with the contractions case-sensitive so every JS engine reads it alike.
 */
export const PRETOKENIZE_PATTERN =
	"'(?:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

export interface BaseTokenizerFiles {
	tokenizerJson: Record<string, unknown>;
	tokenizerConfigJson: Record<string, unknown>;
	vocabSize: number;
	specialTokenIds: Record<BaseSpecialToken, number>;
	mergeCount: number;
}

/** Adds the pre-token counts of `text` to `counts` (special-token strings never occur inside documents). */
export function countPreTokens(text: string, counts: Map<string, number>): void {
	for (const match of text.matchAll(new RegExp(PRETOKENIZE_PATTERN, 'gu'))) {
		counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
	}
}

/** Learns merges so that bytes + merges + special tokens make exactly `vocabSize` tokens (or fewer, if the text runs out). */
export function trainBaseTokenizer(
	preTokenCounts: Map<string, number>,
	vocabSize: number,
	modelMaxLength: number
): BaseTokenizerFiles {
	const learned = learnMerges(preTokenCounts, vocabSize - 256 - BASE_SPECIAL_TOKENS.length);
	const table = byteToUnicodeTable();
	const tokenText = learned.tokenBytes.map((bytes) => Array.from(bytes, (b) => table[b]).join(''));
	const vocab: Record<string, number> = {};
	tokenText.forEach((text, id) => (vocab[text] = id));
	const merges = learned.merges.map(([left, right]) => `${tokenText[left]} ${tokenText[right]}`);
	const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
	const { tokenizerJson, tokenizerConfigJson, specialTokenIds } = bpeTokenizerFiles({
		vocab,
		merges,
		specialTokens: BASE_SPECIAL_TOKENS,
		preTokenizer: {
			type: 'Sequence',
			pretokenizers: [
				{ type: 'Split', pattern: { Regex: PRETOKENIZE_PATTERN }, behavior: 'Isolated', invert: false },
				byteLevel
			]
		},
		decoder: byteLevel,
		modelMaxLength,
		padToken: '<|pad|>',
		configExtras: { add_prefix_space: false }
	});
	return {
		tokenizerJson,
		tokenizerConfigJson,
		vocabSize: tokenText.length + BASE_SPECIAL_TOKENS.length,
		specialTokenIds,
		mergeCount: merges.length
	};
}
