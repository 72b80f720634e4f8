// Builds a small byte-level BPE tokenizer (tokenizer.json + tokenizer_config.json with a ChatML template)
// for random models: 256 byte tokens, merges learned from a fixed text, three special tokens.

/** GPT-2's byte → printable character table used by byte-level BPE. */
export function byteToUnicodeTable(): string[] {
	const printable: number[] = [];
	for (let b = 33; b <= 126; b++) printable.push(b);
	for (let b = 161; b <= 172; b++) printable.push(b);
	for (let b = 174; b <= 255; b++) printable.push(b);
	const table: string[] = new Array(256);
	let extra = 0;
	for (let b = 0; b < 256; b++) {
		if (printable.includes(b)) table[b] = String.fromCharCode(b);
		else table[b] = String.fromCharCode(256 + extra++);
	}
	return table;
}

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

export const CHATML_TEMPLATE =
	"{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
	"{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

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
	const firstSpecial = Object.keys(vocab).length;
	const specialTokenIds = Object.fromEntries(
		SPECIAL_TOKENS.map((t, i) => [t, firstSpecial + i])
	) as TinyTokenizerFiles['specialTokenIds'];
	const addedTokens = SPECIAL_TOKENS.map((content) => ({
		id: specialTokenIds[content],
		content,
		single_word: false,
		lstrip: false,
		rstrip: false,
		normalized: false,
		special: true
	}));
	const tokenizerJson = {
		version: '1.0',
		truncation: null,
		padding: null,
		added_tokens: addedTokens,
		normalizer: null,
		pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
		post_processor: null,
		decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
		model: {
			type: 'BPE',
			dropout: null,
			unk_token: null,
			continuing_subword_prefix: '',
			end_of_word_suffix: '',
			fuse_unk: false,
			byte_fallback: false,
			ignore_merges: false,
			vocab,
			merges
		}
	};
	const tokenizerConfigJson = {
		tokenizer_class: 'Qwen2Tokenizer',
		model_max_length: 512,
		bos_token: null,
		eos_token: '<|im_end|>',
		pad_token: '<|endoftext|>',
		unk_token: null,
		clean_up_tokenization_spaces: false,
		errors: 'replace',
		split_special_tokens: false,
		chat_template: CHATML_TEMPLATE,
		added_tokens_decoder: Object.fromEntries(addedTokens.map(({ id, ...rest }) => [String(id), rest]))
	};
	return { tokenizerJson, tokenizerConfigJson, tokenCount: firstSpecial + SPECIAL_TOKENS.length, specialTokenIds };
}
