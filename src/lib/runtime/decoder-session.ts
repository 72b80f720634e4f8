// Runs the decoder graph: one sequence after its KV cache (token ids, positions, attention mask, cache and the
// active LoRA tensors in; logits of the new positions and the grown cache out), or several sequences from an
// empty cache in one batch, right-padded with the padding masked out.
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { ModelConfig } from '../model/config.ts';
import { ExpertError } from '../errors.ts';
import {
	DECODER_INPUT_NAMES,
	HIDDEN_STATES_OUTPUT,
	decoderContextLength,
	pastKeyName,
	presentKeyName
} from '../model/decoder-graph.ts';
import type { RuntimeHost } from './host.ts';

export interface KvCache {
	/** Number of positions already in the cache. */
	length: number;
	/** Keyed by the graph's past input names. */
	tensors: Map<string, Tensor>;
}

export interface ForwardResult {
	/** [newTokens, vocab] row-major. */
	logits: Float32Array;
	cache: KvCache;
}

export class DecoderSession {
	private constructor(
		private readonly host: RuntimeHost,
		private readonly session: InferenceSession,
		readonly config: ModelConfig,
		private readonly kvNames: Array<{ past: string; present: string }>
	) {}

	static async create(host: RuntimeHost, config: ModelConfig, model: Uint8Array): Promise<DecoderSession> {
		const kvNames: Array<{ past: string; present: string }> = [];
		for (let l = 0; l < config.layers; l++) {
			for (const kind of ['key', 'value'] as const)
				kvNames.push({ past: pastKeyName(l, kind), present: presentKeyName(l, kind) });
		}
		const session = await host.createSession(
			model,
			kvNames.map((n) => n.present)
		);
		return new DecoderSession(host, session, config, kvNames);
	}

	/** Whether the graph has LoRA inputs (built with lora: true). */
	get acceptsLora(): boolean {
		return this.session.inputNames.some((name) => name.startsWith('lora.'));
	}

	emptyCache(): KvCache {
		const dims = [1, this.config.kvHeads, 0, this.config.headDim];
		return {
			length: 0,
			tensors: new Map(this.kvNames.map((n) => [n.past, this.host.float32(new Float32Array(0), dims)]))
		};
	}

	/** Runs `tokenIds` after the cached positions; the input cache stays valid (it is not consumed). */
	async forward(tokenIds: number[], cache: KvCache, lora: ReadonlyMap<string, Tensor>): Promise<ForwardResult> {
		const count = tokenIds.length;
		const total = cache.length + count;
		const limit = decoderContextLength(this.config);
		if (total > limit)
			throw new ExpertError(
				'context-overflow',
				`sequence of ${total} tokens exceeds the model's context length of ${limit}`
			);
		const feeds: Record<string, Tensor> = {
			[DECODER_INPUT_NAMES.inputIds]: this.host.int64(BigInt64Array.from(tokenIds, BigInt), [1, count]),
			[DECODER_INPUT_NAMES.attentionMask]: this.host.int64(new BigInt64Array(total).fill(1n), [1, total]),
			[DECODER_INPUT_NAMES.positionIds]: this.host.int64(
				BigInt64Array.from({ length: count }, (_, i) => BigInt(cache.length + i)),
				[1, count]
			)
		};
		for (const [name, tensor] of cache.tensors) feeds[name] = tensor;
		for (const [name, tensor] of lora) feeds[name] = tensor;
		const outputs = await this.session.run(feeds);
		const logitsTensor = outputs.logits;
		const logits = (logitsTensor.location === 'cpu' ? logitsTensor.data : await logitsTensor.getData()) as Float32Array;
		const tensors = new Map(this.kvNames.map((n) => [n.past, outputs[n.present]]));
		return { logits, cache: { length: total, tensors } };
	}

	/** Runs `sequences` from an empty cache as one batch; returns each one's logits, [its length, vocab] row-major. */
	forwardBatch(sequences: readonly number[][], lora: ReadonlyMap<string, Tensor>): Promise<Float32Array[]> {
		return this.runBatch(sequences, lora, 'logits', this.config.vocabSize);
	}

	/** Runs `sequences` from an empty cache as one batch and returns each one's final hidden states, [its length, hidden]. */
	hiddenStatesBatch(sequences: readonly number[][], lora: ReadonlyMap<string, Tensor>): Promise<Float32Array[]> {
		return this.runBatch(sequences, lora, HIDDEN_STATES_OUTPUT, this.config.hiddenSize);
	}

	/** One batched run fetching only `output` (the graph computes nothing else), split into each sequence's rows of `width`. */
	private async runBatch(
		sequences: readonly number[][],
		lora: ReadonlyMap<string, Tensor>,
		output: string,
		width: number
	): Promise<Float32Array[]> {
		const batch = sequences.length;
		if (batch === 0 || sequences.some((ids) => ids.length === 0))
			throw new Error('forwardBatch: every sequence needs a token');
		const longest = Math.max(...sequences.map((ids) => ids.length));
		const limit = decoderContextLength(this.config);
		if (longest > limit)
			throw new ExpertError(
				'context-overflow',
				`sequence of ${longest} tokens exceeds the model's context length of ${limit}`
			);
		const ids = new BigInt64Array(batch * longest);
		const mask = new BigInt64Array(batch * longest);
		const positions = new BigInt64Array(batch * longest);
		sequences.forEach((sequence, row) => {
			sequence.forEach((id, i) => {
				ids[row * longest + i] = BigInt(id);
				mask[row * longest + i] = 1n;
			});
			for (let i = 0; i < longest; i++) positions[row * longest + i] = BigInt(i);
		});
		const feeds: Record<string, Tensor> = {
			[DECODER_INPUT_NAMES.inputIds]: this.host.int64(ids, [batch, longest]),
			[DECODER_INPUT_NAMES.attentionMask]: this.host.int64(mask, [batch, longest]),
			[DECODER_INPUT_NAMES.positionIds]: this.host.int64(positions, [batch, longest])
		};
		const emptyDims = [batch, this.config.kvHeads, 0, this.config.headDim];
		for (const n of this.kvNames) feeds[n.past] = this.host.float32(new Float32Array(0), emptyDims);
		for (const [name, tensor] of lora) feeds[name] = tensor;
		const tensor = (await this.session.run(feeds, [output]))[output];
		const values = (tensor.location === 'cpu' ? tensor.data : await tensor.getData()) as Float32Array;
		if (tensor.location === 'gpu-buffer') tensor.dispose();
		return sequences.map((sequence, row) =>
			values.subarray(row * longest * width, (row * longest + sequence.length) * width)
		);
	}

	/** Frees device memory held by a cache that will not be used again (no-op for CPU tensors). */
	releaseCache(cache: KvCache): void {
		for (const tensor of cache.tensors.values()) if (tensor.location === 'gpu-buffer') tensor.dispose();
	}
}
