// Checks a base model's safetensors against its config (every tensor present, every shape right) and
// returns the weights as fp32 arrays keyed by HF tensor name. Browser-safe: works on bytes already read.
import { ExpertError } from '../errors.ts';
import { parseSafetensors, tensorToFloat32, type TensorView } from '../experts/safetensors.ts';
import type { ModelConfig } from './config.ts';

export interface WeightFile {
	/** Where the bytes came from (file path or URL), used in error messages. */
	source: string;
	bytes: Uint8Array;
}

export interface BaseWeight {
	shape: number[];
	data: Float32Array;
}

export type BaseWeights = Map<string, BaseWeight>;

/** Every tensor name the config implies, with its shape (HF names, contract 2). */
export function expectedBaseTensors(config: ModelConfig): Map<string, number[]> {
	const { hiddenSize: h, intermediateSize: i, vocabSize: v, heads, kvHeads, headDim } = config;
	const q = heads * headDim;
	const kv = kvHeads * headDim;
	const shapes = new Map<string, number[]>([
		['model.embed_tokens.weight', [v, h]],
		['model.norm.weight', [h]]
	]);
	if (!config.tieWordEmbeddings) shapes.set('lm_head.weight', [v, h]);
	for (let l = 0; l < config.layers; l++) {
		const p = `model.layers.${l}`;
		shapes.set(`${p}.input_layernorm.weight`, [h]);
		shapes.set(`${p}.post_attention_layernorm.weight`, [h]);
		shapes.set(`${p}.self_attn.q_proj.weight`, [q, h]);
		shapes.set(`${p}.self_attn.k_proj.weight`, [kv, h]);
		shapes.set(`${p}.self_attn.v_proj.weight`, [kv, h]);
		shapes.set(`${p}.self_attn.o_proj.weight`, [h, q]);
		if (config.attentionBias) {
			shapes.set(`${p}.self_attn.q_proj.bias`, [q]);
			shapes.set(`${p}.self_attn.k_proj.bias`, [kv]);
			shapes.set(`${p}.self_attn.v_proj.bias`, [kv]);
		}
		shapes.set(`${p}.mlp.gate_proj.weight`, [i, h]);
		shapes.set(`${p}.mlp.up_proj.weight`, [i, h]);
		shapes.set(`${p}.mlp.down_proj.weight`, [h, i]);
	}
	return shapes;
}

/** Parses the weight files (one or several shards), checks them against the config and converts to fp32. */
export function loadBaseWeights(config: ModelConfig, files: WeightFile[], configSource = 'config.json'): BaseWeights {
	const found = new Map<string, { view: TensorView; source: string }>();
	for (const file of files) {
		for (const [name, view] of parseSafetensors(file.bytes, file.source).tensors)
			found.set(name, { view, source: file.source });
	}
	const sources = files.map((f) => f.source).join(', ');
	const weights: BaseWeights = new Map();
	for (const [name, shape] of expectedBaseTensors(config)) {
		const entry = found.get(name);
		if (!entry)
			throw new ExpertError('missing-tensor', `${sources}: tensor ${name} is missing (required by ${configSource})`);
		if (entry.view.shape.join(',') !== shape.join(',')) {
			throw new ExpertError(
				'bad-tensor-shape',
				`${entry.source}: tensor ${name} has shape [${entry.view.shape.join(', ')}], ${configSource} implies [${shape.join(', ')}]`
			);
		}
		weights.set(name, { shape, data: tensorToFloat32(entry.view) });
	}
	return weights;
}
