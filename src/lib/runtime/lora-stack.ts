// Stacks active experts into the decoder's LoRA inputs: A blocks concatenated along the rank axis (per
// projection group), B blocks scaled by w·alpha/r concatenated along the rank axis (per module); each
// module's rank is padded with zero blocks: to 1 when empty, and to a multiple of the host's rank bucket (16
// on WebGPU, where every new shape compiles new shaders; 1, exact, on CPU and WASM).
import type { ModelConfig } from '../model/config.ts';
import { LORA_GROUPS, loraAInputName, loraBInputName, loraRanksInputName, moduleWidths } from '../model/lora-groups.ts';
import { pairKey, type LoadedAdapter } from './adapter-weights.ts';

export interface ActiveExpert {
	adapter: LoadedAdapter;
	weight: number;
}

export interface StackedInput {
	name: string;
	dims: number[];
	/** float32 weights (A, B) or the int64 ranks of a multi-module group. */
	data: Float32Array | BigInt64Array;
}

/** Stacked rank padded to a multiple of `bucket`: never 0 (WebGPU rejects empty tensors). */
export function paddedRank(rank: number, bucket: number): number {
	return rank === 0 ? 1 : Math.ceil(rank / bucket) * bucket;
}

/** The LoRA input tensors for every layer: per group A [ΣR, in] (modules' blocks in group order, each padded
 * to a multiple of `rankBucket`) and per module B [out, R] with the active experts' blocks scaled by w·alpha/r. */
export function stackAdapters(config: ModelConfig, experts: ActiveExpert[], rankBucket: number): StackedInput[] {
	const inputs: StackedInput[] = [];
	for (let layer = 0; layer < config.layers; layer++) {
		for (const group of LORA_GROUPS) {
			const inFeatures = moduleWidths(config, group.modules[0]).inFeatures;
			const aBlocks: Array<{ data: Float32Array; row: number }> = [];
			const moduleRanks: number[] = [];
			let groupRank = 0;
			for (const module of group.modules) {
				const outFeatures = moduleWidths(config, module).outFeatures;
				const active = experts.flatMap(({ adapter, weight }) => {
					const pair = adapter.pairs.get(pairKey(layer, module));
					return pair ? [{ ...pair, rank: adapter.rank, scale: (weight * adapter.alpha) / adapter.rank }] : [];
				});
				const rank = paddedRank(
					active.reduce((sum, e) => sum + e.rank, 0),
					rankBucket
				);
				const b = new Float32Array(outFeatures * rank);
				let column = 0;
				for (const expert of active) {
					aBlocks.push({ data: expert.a, row: groupRank + column });
					for (let row = 0; row < outFeatures; row++) {
						for (let k = 0; k < expert.rank; k++)
							b[row * rank + column + k] = expert.scale * expert.b[row * expert.rank + k];
					}
					column += expert.rank;
				}
				inputs.push({ name: loraBInputName(layer, module), dims: [outFeatures, rank], data: b });
				moduleRanks.push(rank);
				groupRank += rank;
			}
			if (moduleRanks.length > 1) {
				inputs.push({
					name: loraRanksInputName(layer, group.name),
					dims: [moduleRanks.length],
					data: BigInt64Array.from(moduleRanks, BigInt)
				});
			}
			const a = new Float32Array(groupRank * inFeatures);
			for (const block of aBlocks) a.set(block.data, block.row * inFeatures);
			inputs.push({ name: loraAInputName(layer, group.name), dims: [groupRank, inFeatures], data: a });
		}
	}
	return inputs;
}

/** Cache key of an expert set: ids and weights in activation order. */
export function expertSetKey(experts: ActiveExpert[]): string {
	return experts.map((e) => `${e.adapter.id}:${e.weight}`).join(',');
}
