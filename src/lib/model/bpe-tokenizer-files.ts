// The two files of a byte-level BPE tokenizer in Hugging Face's format — tokenizer.json (vocab, merges, special
// tokens after the vocab) and tokenizer_config.json (Qwen2Tokenizer, ChatML template) — for the random test
// models (random-tokenizer.ts) and the embedded base (pretrain/base-tokenizer.ts).

/** ChatML, as Qwen2's tokenizer_config.json writes it. */
export const CHATML_TEMPLATE =
	"{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
	"{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

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

export interface BpeTokenizerSpec<Special extends string> {
	vocab: Record<string, number>;
	merges: string[];
	/** Added after the vocab, in this order. */
	specialTokens: readonly Special[];
	preTokenizer: object;
	decoder: object;
	modelMaxLength: number;
	padToken: Special;
	/** More tokenizer_config.json fields (e.g. add_prefix_space), written before the chat template. */
	configExtras?: Record<string, unknown>;
}

export function bpeTokenizerFiles<Special extends string>(spec: BpeTokenizerSpec<Special>) {
	const firstSpecial = Object.keys(spec.vocab).length;
	const specialTokenIds = Object.fromEntries(spec.specialTokens.map((token, i) => [token, firstSpecial + i])) as Record<
		Special,
		number
	>;
	const addedTokens = spec.specialTokens.map((content) => ({
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
		pre_tokenizer: spec.preTokenizer,
		post_processor: null,
		decoder: spec.decoder,
		model: {
			type: 'BPE',
			dropout: null,
			unk_token: null,
			continuing_subword_prefix: '',
			end_of_word_suffix: '',
			fuse_unk: false,
			byte_fallback: false,
			ignore_merges: false,
			vocab: spec.vocab,
			merges: spec.merges
		}
	};
	const tokenizerConfigJson = {
		tokenizer_class: 'Qwen2Tokenizer',
		model_max_length: spec.modelMaxLength,
		bos_token: null,
		eos_token: '<|im_end|>',
		pad_token: spec.padToken,
		unk_token: null,
		clean_up_tokenization_spaces: false,
		errors: 'replace',
		split_special_tokens: false,
		...spec.configExtras,
		chat_template: CHATML_TEMPLATE,
		added_tokens_decoder: Object.fromEntries(addedTokens.map(({ id, ...rest }) => [String(id), rest]))
	};
	return { tokenizerJson, tokenizerConfigJson, specialTokenIds, tokenCount: firstSpecial + spec.specialTokens.length };
}
