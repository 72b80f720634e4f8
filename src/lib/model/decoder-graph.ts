// Builds the ONNX decoder graph (Qwen2 / Llama math, contract 2) from a config and its weights: KV-cache
// inputs/outputs in the usual decoder convention, plus one LoRA A/B input pair per layer and projection group.
import type { ModelConfig } from './config.ts';
import { GraphBuilder } from './graph-builder.ts';
import {
	groupModules,
	loraAInputName,
	loraBInputName,
	loraRanksInputName,
	moduleWidths,
	type LoraGroupName
} from './lora-groups.ts';
import { OnnxDataType, encodeOnnxModel } from './onnx-proto.ts';
import { Q4_BLOCK_SIZE, quantizeQ4, toFloat16Bits, type WeightPrecision } from './quantize.ts';
import type { BaseWeights } from './weights.ts';
import { concatArrays } from '../concat-arrays.ts';

export interface DecoderGraphOptions {
	precision: WeightPrecision;
	/** Without LoRA inputs the graph is the plain base model (used to measure LoRA overhead). */
	lora: boolean;
}

/** Longest sequence the graph handles: the rotary tables cover min(max_position_embeddings, 8192) positions. */
export function decoderContextLength(config: ModelConfig): number {
	return Math.min(config.maxPositions, 8192);
}

export const DECODER_INPUT_NAMES = {
	inputIds: 'input_ids',
	attentionMask: 'attention_mask',
	positionIds: 'position_ids'
} as const;

/** The final normed hidden states [batch, sequence, hidden], for classification heads. */
export const HIDDEN_STATES_OUTPUT = 'hidden_states';

export function pastKeyName(layer: number, kind: 'key' | 'value'): string {
	return `past_key_values.${layer}.${kind}`;
}

export function presentKeyName(layer: number, kind: 'key' | 'value'): string {
	return `present.${layer}.${kind}`;
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
	const out = new Float32Array(data.length);
	for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
	return out;
}

const concatRows = (parts: Float32Array[]) => concatArrays(parts, Float32Array);

class DecoderGraph {
	private readonly g = new GraphBuilder();
	private readonly eps: string;

	constructor(
		private readonly config: ModelConfig,
		private readonly weights: BaseWeights,
		private readonly options: DecoderGraphOptions
	) {
		this.eps = this.g.scalar(config.rmsNormEps);
	}

	private weight(name: string): Float32Array {
		const w = this.weights.get(name);
		if (!w) throw new Error(`decoder graph: weight ${name} was not loaded`);
		return w.data;
	}

	/** x [N, in] times the HF weight rows ([out, in], several fused row blocks), at the chosen precision. */
	private linear(x: string, hfWeights: Float32Array[], inFeatures: number, name: string): string {
		const fused = concatRows(hfWeights);
		const outFeatures = fused.length / inFeatures;
		const g = this.g;
		if (this.options.precision === 'q4') {
			const q = quantizeQ4(fused, outFeatures, inFeatures);
			const packed = g.initializer(
				`${name}.q4`,
				OnnxDataType.UINT8,
				[outFeatures, q.blocksPerRow, Q4_BLOCK_SIZE / 2],
				q.packed
			);
			const scales = g.float(`${name}.scales`, [outFeatures * q.blocksPerRow], q.scales);
			return g.op(
				'MatMulNBits',
				[x, packed, scales],
				{ K: inFeatures, N: outFeatures, bits: 4, block_size: Q4_BLOCK_SIZE },
				'com.microsoft'
			);
		}
		const transposed = transpose(fused, outFeatures, inFeatures);
		if (this.options.precision === 'fp16') {
			const half = g.initializer(
				`${name}.fp16`,
				OnnxDataType.FLOAT16,
				[inFeatures, outFeatures],
				toFloat16Bits(transposed)
			);
			return g.op('MatMul', [x, g.op('Cast', [half], { to: OnnxDataType.FLOAT })]);
		}
		return g.op('MatMul', [x, g.float(name, [inFeatures, outFeatures], transposed)]);
	}

	/** Adds the group's LoRA update to `base`: one x·Aᵀ for the group, split by the ranks input into each
	 * module's slice, times that module's Bᵀ, concatenated like the fused outputs. */
	private withLora(base: string, x: string, layer: number, group: LoraGroupName): string {
		if (!this.options.lora) return base;
		const g = this.g;
		const modules = groupModules(group);
		const inFeatures = moduleWidths(this.config, modules[0]).inFeatures;
		const a = g.input(loraAInputName(layer, group), OnnxDataType.FLOAT, [`lora_rank_${layer}_${group}`, inFeatures]);
		const bs = modules.map((m) =>
			g.input(loraBInputName(layer, m), OnnxDataType.FLOAT, [
				moduleWidths(this.config, m).outFeatures,
				`lora_rank_${layer}_${m}`
			])
		);
		const down = g.op('Gemm', [x, a], { transB: 1 });
		if (bs.length === 1) return g.op('Add', [base, g.op('Gemm', [down, bs[0]], { transB: 1 })]);
		const ranks = g.input(loraRanksInputName(layer, group), OnnxDataType.INT64, [bs.length]);
		const parts = g.opMulti('Split', [down, ranks], bs.length, { axis: 1 });
		const up = g.op(
			'Concat',
			parts.map((part, i) => g.op('Gemm', [part, bs[i]], { transB: 1 })),
			{ axis: 1 }
		);
		return g.op('Add', [base, up]);
	}

	private rmsNorm(x: string, weightName: string): string {
		const g = this.g;
		const meanSquare = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: [-1], keepdims: 1 });
		const normed = g.op('Div', [x, g.op('Sqrt', [g.op('Add', [meanSquare, this.eps])])]);
		return g.op('Mul', [normed, g.float(weightName, [this.config.hiddenSize], this.weight(weightName))]);
	}

	private rotate(x: string, cos: string, sin: string): string {
		const g = this.g;
		const half = this.config.headDim / 2;
		const [first, second] = g.opMulti('Split', [x, g.int64([half, half])], 2, { axis: -1 });
		const rotated = g.op('Concat', [g.op('Neg', [second]), first], { axis: -1 });
		return g.op('Add', [g.op('Mul', [x, cos]), g.op('Mul', [rotated, sin])]);
	}

	build(): Uint8Array {
		const { config, g } = this;
		const { hiddenSize: h, heads, kvHeads, headDim, layers, vocabSize, intermediateSize } = config;
		const groupSize = heads / kvHeads;
		const inputIds = g.input(DECODER_INPUT_NAMES.inputIds, OnnxDataType.INT64, ['batch', 'sequence']);
		const attentionMask = g.input(DECODER_INPUT_NAMES.attentionMask, OnnxDataType.INT64, ['batch', 'total_sequence']);
		const positionIds = g.input(DECODER_INPUT_NAMES.positionIds, OnnxDataType.INT64, ['batch', 'sequence']);

		// Shapes: batch and sequence from input_ids, total length from the attention mask.
		const idsShape = g.op('Shape', [inputIds]);
		const batchDim = g.op('Slice', [idsShape, g.int64([0]), g.int64([1])]);
		const sequence = g.op('Gather', [idsShape, g.int64([1], true)]);
		const total = g.op('Gather', [g.op('Shape', [attentionMask]), g.int64([1], true)]);
		const past = g.op('Sub', [total, sequence]);
		const shapeBSHeads = g.op('Concat', [idsShape, g.int64([heads, headDim])], { axis: 0 });
		const shapeBSKv = g.op('Concat', [idsShape, g.int64([kvHeads, headDim])], { axis: 0 });
		const shapeGrouped = g.op('Concat', [batchDim, g.int64([kvHeads, -1, headDim])], { axis: 0 });
		const shapeHeads = g.op('Concat', [batchDim, g.int64([heads, -1, headDim])], { axis: 0 });
		const shape2d = g.int64([-1, h]);

		// Additive attention bias [batch, 1, groupSize * sequence, total]: causal and padding.
		const one = g.int64([1], true);
		const keyPositions = g.op('Range', [g.int64([0], true), total, one]);
		const queryPositions = g.op('Unsqueeze', [g.op('Range', [past, total, one]), g.int64([1])]);
		const causal = g.op('LessOrEqual', [keyPositions, queryPositions]);
		const padding = g.op('Unsqueeze', [g.op('Cast', [attentionMask], { to: OnnxDataType.BOOL }), g.int64([1, 2])]);
		const allowed = g.op('And', [causal, padding]);
		let bias = g.op('Where', [allowed, g.scalar(0), g.scalar(-1e9)]);
		if (groupSize > 1) bias = g.op('Tile', [bias, g.int64([1, 1, groupSize, 1])]);

		// Rotary cos/sin [batch, 1, sequence, headDim] gathered from tables (no sin/cos in shaders: WGSL
		// allows them an absolute error of 2^-11), angles rounded as HF's fp32 position × inv_freq.
		const contextLength = decoderContextLength(config);
		const cosTable = new Float32Array(contextLength * headDim);
		const sinTable = new Float32Array(contextLength * headDim);
		for (let i = 0; i < headDim / 2; i++) {
			const invFreq = Math.fround(1 / Math.fround(Math.pow(config.ropeTheta, Math.fround((2 * i) / headDim))));
			for (let position = 0; position < contextLength; position++) {
				const angle = Math.fround(position * invFreq);
				for (const column of [i, i + headDim / 2]) {
					cosTable[position * headDim + column] = Math.cos(angle);
					sinTable[position * headDim + column] = Math.sin(angle);
				}
			}
		}
		const gatherRope = (name: string, table: Float32Array) =>
			g.op('Unsqueeze', [g.op('Gather', [g.float(name, [contextLength, headDim], table), positionIds]), g.int64([1])]);
		const cos = gatherRope('rope.cos', cosTable);
		const sin = gatherRope('rope.sin', sinTable);
		const queryScale = g.scalar(1 / Math.sqrt(headDim));

		const embed = this.weight('model.embed_tokens.weight');
		let x = g.op('Reshape', [
			g.op('Gather', [g.float('model.embed_tokens.weight', [vocabSize, h], embed), inputIds]),
			shape2d
		]);
		for (let l = 0; l < layers; l++) {
			const p = `model.layers.${l}`;
			const normed = this.rmsNorm(x, `${p}.input_layernorm.weight`);
			const qkvNames = ['q', 'k', 'v'].map((m) => `${p}.self_attn.${m}_proj`);
			let qkv = this.linear(
				normed,
				qkvNames.map((n) => this.weight(`${n}.weight`)),
				h,
				`${p}.self_attn.qkv_proj`
			);
			if (config.attentionBias) {
				const fusedBias = concatRows(qkvNames.map((n) => this.weight(`${n}.bias`)));
				qkv = g.op('Add', [qkv, g.float(`${p}.self_attn.qkv_proj.bias`, [fusedBias.length], fusedBias)]);
			}
			qkv = this.withLora(qkv, normed, l, 'qkv');
			const [q2d, k2d, v2d] = g.opMulti(
				'Split',
				[qkv, g.int64([heads * headDim, kvHeads * headDim, kvHeads * headDim])],
				3,
				{ axis: 1 }
			);
			const toHeads = (value: string, shape: string) =>
				g.op('Transpose', [g.op('Reshape', [value, shape])], { perm: [0, 2, 1, 3] });
			const q = g.op('Mul', [this.rotate(toHeads(q2d, shapeBSHeads), cos, sin), queryScale]);
			const k = this.rotate(toHeads(k2d, shapeBSKv), cos, sin);
			const v = toHeads(v2d, shapeBSKv);
			const kvShape = ['batch', kvHeads, 'past_sequence', headDim];
			const presentKey = g.op('Concat', [g.input(pastKeyName(l, 'key'), OnnxDataType.FLOAT, kvShape), k], { axis: 2 });
			const presentValue = g.op('Concat', [g.input(pastKeyName(l, 'value'), OnnxDataType.FLOAT, kvShape), v], {
				axis: 2
			});
			const totalShape = ['batch', kvHeads, 'total_sequence', headDim];
			g.output(presentKey, presentKeyName(l, 'key'), OnnxDataType.FLOAT, totalShape);
			g.output(presentValue, presentKeyName(l, 'value'), OnnxDataType.FLOAT, totalShape);
			// GQA without copying keys: query heads sharing a kv head are stacked along the sequence axis.
			const grouped = groupSize > 1 ? g.op('Reshape', [q, shapeGrouped]) : q;
			const scores = g.op('Add', [
				g.op('MatMul', [grouped, g.op('Transpose', [presentKey], { perm: [0, 1, 3, 2] })]),
				bias
			]);
			const context = g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), presentValue]);
			const ungrouped = groupSize > 1 ? g.op('Reshape', [context, shapeHeads]) : context;
			const attention2d = g.op('Reshape', [g.op('Transpose', [ungrouped], { perm: [0, 2, 1, 3] }), shape2d]);
			const projected = this.withLora(
				this.linear(
					attention2d,
					[this.weight(`${p}.self_attn.o_proj.weight`)],
					heads * headDim,
					`${p}.self_attn.o_proj`
				),
				attention2d,
				l,
				'o'
			);
			x = g.op('Add', [x, projected]);

			const normed2 = this.rmsNorm(x, `${p}.post_attention_layernorm.weight`);
			const gateUpWeights = ['gate', 'up'].map((m) => this.weight(`${p}.mlp.${m}_proj.weight`));
			const gateUp = this.withLora(
				this.linear(normed2, gateUpWeights, h, `${p}.mlp.gate_up_proj`),
				normed2,
				l,
				'gate_up'
			);
			const [gate, up] = g.opMulti('Split', [gateUp, g.int64([intermediateSize, intermediateSize])], 2, { axis: 1 });
			const activated = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
			const down = this.withLora(
				this.linear(activated, [this.weight(`${p}.mlp.down_proj.weight`)], intermediateSize, `${p}.mlp.down_proj`),
				activated,
				l,
				'down'
			);
			x = g.op('Add', [x, down]);
		}
		const final = this.rmsNorm(x, 'model.norm.weight');
		const hiddenShape = g.op('Concat', [idsShape, g.int64([h])], { axis: 0 });
		g.output(g.op('Reshape', [final, hiddenShape]), HIDDEN_STATES_OUTPUT, OnnxDataType.FLOAT, ['batch', 'sequence', h]);
		const lmHead = config.tieWordEmbeddings ? embed : this.weight('lm_head.weight');
		const logits2d = this.linear(final, [lmHead], h, 'lm_head');
		const logitsShape = g.op('Concat', [idsShape, g.int64([vocabSize])], { axis: 0 });
		g.output(g.op('Reshape', [logits2d, logitsShape]), 'logits', OnnxDataType.FLOAT, ['batch', 'sequence', vocabSize]);
		const opsets = [{ domain: '', version: 17 }];
		if (this.options.precision === 'q4') opsets.push({ domain: 'com.microsoft', version: 1 });
		return encodeOnnxModel(g.build(`${config.architecture}-decoder`, opsets));
	}
}

/** Serialized ONNX model bytes for the decoder described by `config` with `weights`. */
export function buildDecoderGraph(config: ModelConfig, weights: BaseWeights, options: DecoderGraphOptions): Uint8Array {
	return new DecoderGraph(config, weights, options).build();
}
