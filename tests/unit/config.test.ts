// Base model config.json parsing: Qwen2 and Llama accepted with their defaults, generation_config.json's end
// markers taken; unsupported architectures and inconsistent shapes rejected with one line naming the file and field.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseModelConfig, withGenerationConfig } from '../../src/lib/model/config.ts';
import { readModelFolder } from '../../src/lib/model/model-folder.ts';
import { oneLineExpertError } from '../fixtures/expert-error.ts';
import { parseExpertRefs } from '../../src/lib/runtime/expert-refs.ts';

const QWEN = {
	architectures: ['Qwen2ForCausalLM'],
	model_type: 'qwen2',
	hidden_size: 896,
	intermediate_size: 4864,
	num_hidden_layers: 24,
	num_attention_heads: 14,
	num_key_value_heads: 2,
	rms_norm_eps: 1e-6,
	rope_theta: 1000000,
	vocab_size: 151936,
	max_position_embeddings: 32768,
	tie_word_embeddings: true,
	eos_token_id: 151645
};

describe('parseModelConfig', () => {
	it('reads Qwen2.5-0.5B’s config', () => {
		const config = parseModelConfig(JSON.stringify(QWEN), 'q/config.json');
		expect(config).toMatchObject({
			architecture: 'qwen2',
			headDim: 64,
			kvHeads: 2,
			attentionBias: true,
			tieWordEmbeddings: true,
			eosTokenIds: [151645],
			ropeTheta: 1e6
		});
	});

	it("takes generation_config.json's end-of-sequence ids, as transformers' generate does", () => {
		const config = parseModelConfig(JSON.stringify(QWEN), 'q/config.json');
		expect(
			withGenerationConfig(config, JSON.stringify({ eos_token_id: [151645, 151643], do_sample: true })).eosTokenIds
		).toEqual([151645, 151643]);
		expect(withGenerationConfig(config, JSON.stringify({ do_sample: true })).eosTokenIds).toEqual([151645]);
		expect(
			oneLineExpertError(() =>
				withGenerationConfig(config, JSON.stringify({ eos_token_id: ['x'] }), 'q/generation_config.json')
			)
		).toBe('q/generation_config.json: eos_token_id ["x"] must be token ids');
	});

	it('reads the shipped base with both of its end markers', async () => {
		const { config } = await readModelFolder(path.resolve(import.meta.dirname, '../../static/models/expert-base-tiny'));
		expect(config.eosTokenIds).toEqual([4094, 4092]); // <|im_end|>, <|endoftext|>
	});

	it('defaults Llama to no bias and kv heads = heads', () => {
		const { num_key_value_heads: _, ...rest } = QWEN;
		const config = parseModelConfig(
			JSON.stringify({ ...rest, model_type: 'llama', architectures: ['LlamaForCausalLM'], tie_word_embeddings: false })
		);
		expect(config.attentionBias).toBe(false);
		expect(config.kvHeads).toBe(14);
	});

	it.each([
		[{ model_type: 'gpt2' }, /q\/config.json: model_type "gpt2" is not supported/],
		[{ architectures: ['MistralForCausalLM'] }, /architectures \["MistralForCausalLM"\] is not supported/],
		[{ num_key_value_heads: 3 }, /num_attention_heads 14 is not a multiple of num_key_value_heads 3/],
		[{ hidden_size: 900 }, /head dimension/],
		[{ vocab_size: 0 }, /vocab_size must be a positive integer/],
		[{ rope_scaling: { type: 'yarn', factor: 4 } }, /rope_scaling .* is not supported/],
		[{ hidden_act: 'gelu' }, /hidden_act "gelu" is not supported/]
	])('rejects %j', (patch, message) => {
		expect(() => parseModelConfig(JSON.stringify({ ...QWEN, ...patch }), 'q/config.json')).toThrow(message);
	});

	it('rejects text that is not JSON', () => {
		expect(() => parseModelConfig('{', 'x/config.json')).toThrow('x/config.json: is not valid JSON');
	});
});

describe('parseExpertRefs', () => {
	it('parses names, paths and weights', () => {
		expect(parseExpertRefs('a, b:0.5,./x/y-v1:-1,c:')).toEqual([
			{ ref: 'a', weight: 1 },
			{ ref: 'b', weight: 0.5 },
			{ ref: './x/y-v1', weight: -1 },
			{ ref: 'c:', weight: 1 }
		]);
		expect(parseExpertRefs(undefined)).toEqual([]);
		expect(() => parseExpertRefs('a,,b')).toThrow(/empty expert name/);
	});
});
