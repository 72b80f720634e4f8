// Parses and validates a base model's HF config.json (Qwen2 / Llama decoders only) into the fields the
// graph builder and runtime need; anything unsupported is a one-line ExpertError naming the file and field.
import { ExpertError } from '../errors.ts';

export type ModelArchitecture = 'qwen2' | 'llama';

export interface ModelConfig {
	name: string;
	architecture: ModelArchitecture;
	hiddenSize: number;
	intermediateSize: number;
	layers: number;
	heads: number;
	kvHeads: number;
	headDim: number;
	rmsNormEps: number;
	ropeTheta: number;
	vocabSize: number;
	maxPositions: number;
	tieWordEmbeddings: boolean;
	attentionBias: boolean;
	eosTokenIds: number[];
}

const ARCHITECTURE_CLASSES: Record<ModelArchitecture, string> = {
	qwen2: 'Qwen2ForCausalLM',
	llama: 'LlamaForCausalLM'
};

function fail(source: string, message: string): never {
	throw new ExpertError('bad-model-config', `${source}: ${message}`);
}

function positiveInteger(raw: Record<string, unknown>, field: string, source: string): number {
	const value = raw[field];
	if (!Number.isInteger(value) || (value as number) <= 0)
		fail(source, `${field} must be a positive integer, got ${JSON.stringify(value)}`);
	return value as number;
}

function positiveNumber(raw: Record<string, unknown>, field: string, fallback: number, source: string): number {
	const value = raw[field] ?? fallback;
	if (typeof value !== 'number' || !(value > 0))
		fail(source, `${field} must be a positive number, got ${JSON.stringify(value)}`);
	return value;
}

/** eos_token_id (one id or a list) as token ids; null when the field is absent; one line naming the file when malformed. */
function eosIdsOf(eos: unknown, source: string): number[] | null {
	if (eos === undefined || eos === null) return null;
	const ids = Array.isArray(eos) ? eos : [eos];
	if (!ids.every((id) => Number.isInteger(id) && id >= 0))
		fail(source, `eos_token_id ${JSON.stringify(eos)} must be token ids`);
	return ids as number[];
}

export function parseModelConfig(jsonText: string, source = 'config.json'): ModelConfig {
	let raw: unknown;
	try {
		raw = JSON.parse(jsonText);
	} catch {
		fail(source, 'is not valid JSON');
	}
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(source, 'is not a JSON object');
	const r = raw as Record<string, unknown>;
	const modelType = r.model_type;
	if (modelType !== 'qwen2' && modelType !== 'llama') {
		fail(source, `model_type ${JSON.stringify(modelType)} is not supported (supported: qwen2, llama)`);
	}
	const architectures = r.architectures;
	if (
		architectures !== undefined &&
		(!Array.isArray(architectures) || architectures[0] !== ARCHITECTURE_CLASSES[modelType])
	) {
		fail(
			source,
			`architectures ${JSON.stringify(architectures)} is not supported for model_type ${modelType} (expected ["${ARCHITECTURE_CLASSES[modelType]}"])`
		);
	}
	const ropeScaling = r.rope_scaling as Record<string, unknown> | null | undefined;
	if (ropeScaling && Object.keys(ropeScaling).length > 0 && (ropeScaling.rope_type ?? ropeScaling.type) !== 'default') {
		fail(source, `rope_scaling ${JSON.stringify(ropeScaling)} is not supported`);
	}
	if (r.hidden_act !== undefined && r.hidden_act !== 'silu')
		fail(source, `hidden_act ${JSON.stringify(r.hidden_act)} is not supported (silu only)`);
	const hiddenSize = positiveInteger(r, 'hidden_size', source);
	const heads = positiveInteger(r, 'num_attention_heads', source);
	const kvHeads = r.num_key_value_heads === undefined ? heads : positiveInteger(r, 'num_key_value_heads', source);
	if (heads % kvHeads !== 0)
		fail(source, `num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
	const headDim = r.head_dim === undefined ? hiddenSize / heads : positiveInteger(r, 'head_dim', source);
	if (!Number.isInteger(headDim) || headDim % 2 !== 0)
		fail(source, `head dimension ${headDim} must be an even integer`);
	if (headDim * heads !== hiddenSize)
		fail(source, `head_dim ${headDim} x num_attention_heads ${heads} must equal hidden_size ${hiddenSize}`);
	const eosTokenIds = eosIdsOf(r.eos_token_id, source) ?? [];
	const attentionBias = r.attention_bias === undefined ? modelType === 'qwen2' : r.attention_bias === true;
	if (r.mlp_bias === true) fail(source, 'mlp_bias true is not supported');
	return {
		name: typeof r._name_or_path === 'string' && r._name_or_path ? r._name_or_path : modelType,
		architecture: modelType,
		hiddenSize,
		intermediateSize: positiveInteger(r, 'intermediate_size', source),
		layers: positiveInteger(r, 'num_hidden_layers', source),
		heads,
		kvHeads,
		headDim,
		rmsNormEps: positiveNumber(r, 'rms_norm_eps', 1e-6, source),
		ropeTheta: positiveNumber(r, 'rope_theta', 10000, source),
		vocabSize: positiveInteger(r, 'vocab_size', source),
		maxPositions:
			r.max_position_embeddings === undefined ? 32768 : positiveInteger(r, 'max_position_embeddings', source),
		tieWordEmbeddings: r.tie_word_embeddings === true,
		attentionBias,
		eosTokenIds
	};
}

/**
 * The config with generation_config.json's end-of-sequence ids, which win over config.json's as they do in
 * transformers' generate (Qwen2 models stop at <|im_end|> or <|endoftext|> there, config.json names only the first).
 */
export function withGenerationConfig(
	config: ModelConfig,
	jsonText: string,
	source = 'generation_config.json'
): ModelConfig {
	let raw: unknown;
	try {
		raw = JSON.parse(jsonText);
	} catch {
		fail(source, 'is not valid JSON');
	}
	const ids = eosIdsOf((raw as Record<string, unknown> | null)?.eos_token_id, source);
	return ids ? { ...config, eosTokenIds: [...new Set(ids)] } : config;
}
