// A loaded base model: one decoder session for the model's lifetime plus a cache of stacked expert sets.
// Activating a set swaps which LoRA tensors are fed; the session is never rebuilt.
import type { Tensor } from 'onnxruntime-common';
import type { ModelConfig } from '../model/config.ts';
import { buildDecoderGraph } from '../model/decoder-graph.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import { loadBaseWeights, type WeightFile } from '../model/weights.ts';
import { DecoderSession, type ForwardResult, type KvCache } from './decoder-session.ts';
import type { RuntimeHost } from './host.ts';
import { expertSetKey, stackAdapters, type ActiveExpert } from './lora-stack.ts';
import type { TextTokenizer } from './tokenizer.ts';

export interface LoadModelOptions {
	precision: WeightPrecision;
	/** Build the graph without LoRA inputs (base-only baseline for benchmarks). */
	withoutLora?: boolean;
	/** How many stacked expert sets stay cached (least recently used are dropped). */
	cachedSets?: number;
}

/** A runtime with the tokenizer of the same model folder. */
export interface LoadedModel {
	runtime: ModelRuntime;
	tokenizer: TextTokenizer;
}

/** Work done by the model so far: forward runs and the tokens they processed (padding not counted). */
export interface ForwardCounts {
	calls: number;
	tokens: number;
}

/** The ONNX graph of the base with its weights inside (LoRA inputs unless `withoutLora`), after checking the weights against the config. */
export function buildRuntimeGraph(
	config: ModelConfig,
	weightFiles: WeightFile[],
	options: LoadModelOptions,
	configSource?: string
): Uint8Array {
	const weights = loadBaseWeights(config, weightFiles, configSource);
	const graph = buildDecoderGraph(config, weights, { precision: options.precision, lora: !options.withoutLora });
	weights.clear();
	return graph;
}

export class ModelRuntime {
	readonly counts: ForwardCounts = { calls: 0, tokens: 0 };
	private readonly sets = new Map<string, Map<string, Tensor>>();
	private active: Map<string, Tensor> = new Map();
	private activeKey: string | null = null;

	private constructor(
		readonly host: RuntimeHost,
		readonly config: ModelConfig,
		readonly session: DecoderSession,
		private readonly cachedSets: number
	) {}

	/** Checks the weights against the config, builds the graph and creates its session, with no expert active. */
	static async load(
		host: RuntimeHost,
		config: ModelConfig,
		weightFiles: WeightFile[],
		options: LoadModelOptions,
		configSource?: string
	): Promise<ModelRuntime> {
		return ModelRuntime.fromGraph(host, config, buildRuntimeGraph(config, weightFiles, options, configSource), options);
	}

	/** A runtime over a graph buildRuntimeGraph made earlier (the app keeps it cached, ready to run). */
	static async fromGraph(
		host: RuntimeHost,
		config: ModelConfig,
		graph: Uint8Array,
		options: Pick<LoadModelOptions, 'cachedSets'> = {}
	): Promise<ModelRuntime> {
		const session = await DecoderSession.create(host, config, graph);
		const runtime = new ModelRuntime(host, config, session, options.cachedSets ?? 8);
		if (session.acceptsLora) await runtime.activate([]);
		return runtime;
	}

	/** Makes `experts` the active set; returns whether its stacked tensors were already cached. */
	async activate(experts: ActiveExpert[]): Promise<{ key: string; cached: boolean }> {
		const key = expertSetKey(experts);
		let tensors = this.sets.get(key);
		const cached = tensors !== undefined;
		if (!tensors) {
			const built = new Map<string, Tensor>();
			for (const { name, data, dims } of stackAdapters(this.config, experts, this.host.rankBucket)) {
				built.set(
					name,
					data instanceof BigInt64Array ? this.host.int64(data, dims) : await this.host.persistentFloat32(data, dims)
				);
			}
			tensors = built;
		}
		this.sets.delete(key);
		this.sets.set(key, tensors);
		this.evictBeyondLimit();
		this.active = tensors;
		this.activeKey = key;
		return { key, cached };
	}

	get activeSetKey(): string | null {
		return this.activeKey;
	}

	private evictBeyondLimit(): void {
		for (const [key, tensors] of this.sets) {
			if (this.sets.size <= this.cachedSets) break;
			if (key === this.activeKey) continue;
			for (const tensor of tensors.values()) if (tensor.location === 'gpu-buffer') tensor.dispose();
			this.sets.delete(key);
		}
	}

	emptyCache(): KvCache {
		return this.session.emptyCache();
	}

	forward(tokenIds: number[], cache: KvCache): Promise<ForwardResult> {
		this.count(1, tokenIds.length);
		return this.session.forward(tokenIds, cache, this.active);
	}

	/** Several sequences from an empty cache in one run; each one's logits, [its length, vocab]. */
	forwardBatch(sequences: readonly number[][]): Promise<Float32Array[]> {
		this.count(
			1,
			sequences.reduce((sum, ids) => sum + ids.length, 0)
		);
		return this.session.forwardBatch(sequences, this.active);
	}

	/** Several sequences from an empty cache in one run; each one's final hidden states, [its length, hidden]. */
	hiddenStatesBatch(sequences: readonly number[][]): Promise<Float32Array[]> {
		this.count(
			1,
			sequences.reduce((sum, ids) => sum + ids.length, 0)
		);
		return this.session.hiddenStatesBatch(sequences, this.active);
	}

	private count(calls: number, tokens: number): void {
		this.counts.calls += calls;
		this.counts.tokens += tokens;
	}

	releaseCache(cache: KvCache): void {
		this.session.releaseCache(cache);
	}
}
