// The architecture of the embedded base model `expert-base-tiny`: Qwen2 (GQA, q/k/v biases, tied
// embeddings) at a width that pre-trains in about an hour on two CPU cores; its config.json and generation_config.json.
export const BASE_MODEL_NAME = 'expert-base-tiny';

/** The base's special tokens (its tokenizer, written by pretrain/base-tokenizer.ts, gives them ids). */
export const BASE_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<|pad|>'] as const;
export type BaseSpecialToken = (typeof BASE_SPECIAL_TOKENS)[number];

export const BASE_MODEL_SHAPE = {
	hidden_size: 256,
	intermediate_size: 704,
	num_hidden_layers: 6,
	num_attention_heads: 8,
	num_key_value_heads: 2,
	max_position_embeddings: 2048,
	rope_theta: 10000,
	rms_norm_eps: 1e-6
} as const;

/** config.json in Qwen2Config's fields for a tokenizer with `vocabSize` tokens. */
export function baseModelConfig(
	vocabSize: number,
	specialTokenIds: Record<BaseSpecialToken, number>,
	torchDtype: 'float16' | 'float32'
): Record<string, unknown> {
	return {
		architectures: ['Qwen2ForCausalLM'],
		model_type: 'qwen2',
		...BASE_MODEL_SHAPE,
		head_dim: BASE_MODEL_SHAPE.hidden_size / BASE_MODEL_SHAPE.num_attention_heads,
		hidden_act: 'silu',
		attention_dropout: 0,
		initializer_range: 0.02,
		vocab_size: vocabSize,
		tie_word_embeddings: true,
		use_cache: true,
		use_sliding_window: false,
		sliding_window: null,
		max_window_layers: BASE_MODEL_SHAPE.num_hidden_layers,
		rope_scaling: null,
		bos_token_id: specialTokenIds['<|endoftext|>'],
		eos_token_id: specialTokenIds['<|im_end|>'],
		pad_token_id: specialTokenIds['<|pad|>'],
		torch_dtype: torchDtype,
		transformers_version: '4.46.0'
	};
}

/** generation_config.json: stop at <|im_end|> or <|endoftext|>, greedy by default. */
export function baseGenerationConfig(specialTokenIds: Record<BaseSpecialToken, number>): Record<string, unknown> {
	return {
		bos_token_id: specialTokenIds['<|endoftext|>'],
		eos_token_id: [specialTokenIds['<|im_end|>'], specialTokenIds['<|endoftext|>']],
		pad_token_id: specialTokenIds['<|pad|>'],
		do_sample: false,
		max_new_tokens: 256,
		transformers_version: '4.46.0'
	};
}
