// Generates random base models in the Hugging Face layout (Qwen2.5-0.5B's structure or a Llama, at any
// small width) and random PEFT LoRA expert packages for them: test fixtures and benchmark subjects.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { adapterTensorName } from '../experts/adapter.ts';
import { writeExpertPackage } from '../experts/package-fs.ts';
import { serializeSafetensors, type TensorToWrite } from '../experts/safetensors.ts';
import { seededNormal } from '../seeded-random.ts';
import { parseModelConfig } from './config.ts';
import { moduleWidths, type LoraModule } from './lora-groups.ts';
import { buildTinyTokenizer } from './random-tokenizer.ts';

export type TinyArchitecture = 'qwen2' | 'llama';

/** The config.json fields the fixture writes (a subset of Qwen2Config / LlamaConfig). */
export interface TinyModelConfig {
	architectures: string[];
	model_type: TinyArchitecture;
	hidden_size: number;
	intermediate_size: number;
	num_hidden_layers: number;
	num_attention_heads: number;
	num_key_value_heads: number;
	rms_norm_eps: number;
	rope_theta: number;
	vocab_size: number;
	max_position_embeddings: number;
	tie_word_embeddings: boolean;
	bos_token_id: number;
	eos_token_id: number;
	torch_dtype: 'float32';
	[key: string]: unknown;
}

export interface TinyModelOptions {
	architecture?: TinyArchitecture;
	seed?: number;
	hiddenSize?: number;
	intermediateSize?: number;
	layers?: number;
	heads?: number;
	kvHeads?: number;
	/** Extra merges beyond the 256 byte tokens; the vocabulary is padded up to a multiple of 64 (as Qwen pads). */
	merges?: number;
	/** config vocab_size (embedding rows) when larger than the tokenizer; default: tokenizer size rounded up to 64. */
	vocabSize?: number;
	/** Name written into config.json `_name_or_path`, also what adapters name as their base. */
	name?: string;
}

function randomTensor(normal: () => number, shape: number[], std: number, mean = 0): TensorToWrite {
	const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
	for (let i = 0; i < data.length; i++) data[i] = mean + std * normal();
	return { dtype: 'F32', shape, data };
}

async function writeFolderAtomically(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
	const temp = `${dir}.tmp-${process.pid}-${Date.now()}`;
	await mkdir(temp, { recursive: true });
	for (const [name, content] of Object.entries(files)) await writeFile(path.join(temp, name), content);
	await rm(dir, { recursive: true, force: true });
	await mkdir(path.dirname(dir), { recursive: true });
	await rename(temp, dir);
}

/** Writes config.json, tokenizer.json, tokenizer_config.json and model.safetensors (fp32) into `dir`. */
export async function writeTinyModel(
	dir: string,
	options: TinyModelOptions = {}
): Promise<{ dir: string; config: TinyModelConfig }> {
	const architecture = options.architecture ?? 'qwen2';
	const qwen = architecture === 'qwen2';
	const heads = options.heads ?? (qwen ? 14 : 4);
	const kvHeads = options.kvHeads ?? 2;
	const hidden = options.hiddenSize ?? (qwen ? 224 : 128);
	const intermediate = options.intermediateSize ?? (qwen ? 384 : 256);
	const layers = options.layers ?? 2;
	const tokenizer = buildTinyTokenizer(options.merges ?? 117);
	const vocab = Math.max(options.vocabSize ?? 0, Math.ceil(tokenizer.tokenCount / 64) * 64);
	const headDim = hidden / heads;
	if (!Number.isInteger(headDim) || headDim % 2 !== 0)
		throw new Error(`hidden ${hidden} / heads ${heads} must be an even integer`);
	const config: TinyModelConfig = {
		architectures: [qwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
		model_type: architecture,
		_name_or_path: options.name ?? `tiny-${architecture}`,
		hidden_size: hidden,
		intermediate_size: intermediate,
		num_hidden_layers: layers,
		num_attention_heads: heads,
		num_key_value_heads: kvHeads,
		hidden_act: 'silu',
		rms_norm_eps: qwen ? 1e-6 : 1e-5,
		rope_theta: qwen ? 1_000_000 : 10_000,
		vocab_size: vocab,
		max_position_embeddings: 512,
		tie_word_embeddings: qwen,
		bos_token_id: tokenizer.specialTokenIds['<|endoftext|>'],
		eos_token_id: tokenizer.specialTokenIds['<|im_end|>'],
		torch_dtype: 'float32'
	};
	const normal = seededNormal(options.seed ?? 1);
	const tensors: Record<string, TensorToWrite> = {
		'model.embed_tokens.weight': randomTensor(normal, [vocab, hidden], 0.1),
		'model.norm.weight': randomTensor(normal, [hidden], 0.1, 1)
	};
	if (!qwen) tensors['lm_head.weight'] = randomTensor(normal, [vocab, hidden], 1 / Math.sqrt(hidden));
	const kvWidth = kvHeads * headDim;
	for (let l = 0; l < layers; l++) {
		const p = `model.layers.${l}`;
		tensors[`${p}.input_layernorm.weight`] = randomTensor(normal, [hidden], 0.1, 1);
		tensors[`${p}.post_attention_layernorm.weight`] = randomTensor(normal, [hidden], 0.1, 1);
		tensors[`${p}.self_attn.q_proj.weight`] = randomTensor(normal, [hidden, hidden], 1 / Math.sqrt(hidden));
		tensors[`${p}.self_attn.k_proj.weight`] = randomTensor(normal, [kvWidth, hidden], 1 / Math.sqrt(hidden));
		tensors[`${p}.self_attn.v_proj.weight`] = randomTensor(normal, [kvWidth, hidden], 1 / Math.sqrt(hidden));
		tensors[`${p}.self_attn.o_proj.weight`] = randomTensor(normal, [hidden, hidden], 1 / Math.sqrt(hidden));
		if (qwen) {
			tensors[`${p}.self_attn.q_proj.bias`] = randomTensor(normal, [hidden], 0.1);
			tensors[`${p}.self_attn.k_proj.bias`] = randomTensor(normal, [kvWidth], 0.1);
			tensors[`${p}.self_attn.v_proj.bias`] = randomTensor(normal, [kvWidth], 0.1);
		}
		tensors[`${p}.mlp.gate_proj.weight`] = randomTensor(normal, [intermediate, hidden], 1 / Math.sqrt(hidden));
		tensors[`${p}.mlp.up_proj.weight`] = randomTensor(normal, [intermediate, hidden], 1 / Math.sqrt(hidden));
		tensors[`${p}.mlp.down_proj.weight`] = randomTensor(normal, [hidden, intermediate], 1 / Math.sqrt(intermediate));
	}
	await writeFolderAtomically(dir, {
		'config.json': JSON.stringify(config, null, 2),
		'tokenizer.json': JSON.stringify(tokenizer.tokenizerJson),
		'tokenizer_config.json': JSON.stringify(tokenizer.tokenizerConfigJson, null, 2),
		'model.safetensors': serializeSafetensors(tensors, { format: 'pt' })
	});
	return { dir, config };
}

export interface RandomAdapterOptions {
	r: number;
	/** Default 2·r. */
	alpha?: number;
	targetModules: LoraModule[];
	seed: number;
	name: string;
	/** Default 1.0.0. */
	version?: string;
	requires?: string[];
	/** Standard deviation of lora_B (PEFT initialises it to zero; tests need a visible effect). */
	bStd?: number;
}

/** Writes a full expert package (manifest, adapter_config, adapter_model.safetensors, metadata) into `dir`. */
export async function writeRandomAdapter(
	dir: string,
	modelConfig: TinyModelConfig,
	options: RandomAdapterOptions
): Promise<{ dir: string }> {
	const { r, alpha = 2 * r, targetModules, seed, name, version = '1.0.0' } = options;
	const normal = seededNormal(seed);
	const parsedConfig = parseModelConfig(JSON.stringify(modelConfig));
	const tensors: Record<string, TensorToWrite> = {};
	for (let l = 0; l < modelConfig.num_hidden_layers; l++) {
		for (const module of targetModules) {
			const { inFeatures, outFeatures } = moduleWidths(parsedConfig, module);
			tensors[adapterTensorName(l, module, 'A')] = randomTensor(normal, [r, inFeatures], 1 / Math.sqrt(inFeatures));
			tensors[adapterTensorName(l, module, 'B')] = randomTensor(normal, [outFeatures, r], options.bStd ?? 0.05);
		}
	}
	const baseName = String(modelConfig._name_or_path ?? modelConfig.model_type);
	await writeExpertPackage(dir, {
		manifest: {
			name,
			version,
			description: `Random test adapter ${name} (r=${r}, alpha=${alpha}, ${targetModules.join('/')})`,
			capabilities: ['test'],
			constraints: { load_order: 0, requires: options.requires ?? [] },
			routing: { keywords: [name], priority: 0 },
			base_model: {
				name: baseName,
				hidden_size: modelConfig.hidden_size,
				num_hidden_layers: modelConfig.num_hidden_layers
			}
		},
		adapterConfig: {
			peft_type: 'LORA',
			r,
			lora_alpha: alpha,
			lora_dropout: 0,
			target_modules: targetModules,
			base_model_name_or_path: baseName,
			task_type: 'CAUSAL_LM',
			bias: 'none',
			fan_in_fan_out: false
		},
		tensors,
		metadata: { generator: 'src/lib/model/random-model.ts', seed, method: 'random' }
	});
	return { dir };
}
