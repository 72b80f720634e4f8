// Stacking math of LoRA experts into the graph inputs (A per projection group, B per module): exact sum of
// scaled products for any ranks and target subsets, zero blocks for untargeted modules, ranks padded to the
// bucket (never 0). < 1 s.
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../src/lib/model/config.ts';
import { LORA_GROUPS, moduleWidths, type LoraModule } from '../../src/lib/model/lora-groups.ts';
import type { LoadedAdapter } from '../../src/lib/runtime/adapter-weights.ts';
import { paddedRank, stackAdapters, expertSetKey } from '../../src/lib/runtime/lora-stack.ts';
import { seededNormal } from '../../src/lib/seeded-random.ts';

const config = parseModelConfig(
	JSON.stringify({
		model_type: 'qwen2',
		architectures: ['Qwen2ForCausalLM'],
		hidden_size: 28,
		intermediate_size: 40,
		num_hidden_layers: 2,
		num_attention_heads: 7,
		num_key_value_heads: 1,
		vocab_size: 64
	})
);

function randomAdapter(id: string, rank: number, alpha: number, modules: LoraModule[], seed: number): LoadedAdapter {
	const normal = seededNormal(seed);
	const pairs = new Map();
	for (let layer = 0; layer < config.layers; layer++) {
		for (const module of modules) {
			const { inFeatures, outFeatures } = moduleWidths(config, module);
			pairs.set(`${layer}.${module}`, {
				a: Float32Array.from({ length: rank * inFeatures }, normal),
				b: Float32Array.from({ length: outFeatures * rank }, normal)
			});
		}
	}
	return { id, rank, alpha, pairs };
}

/** y = x·Aᵀ·Bᵀ for row-major A [r, in], B [out, r]. */
function loraProduct(
	x: Float64Array,
	a: Float32Array,
	b: Float32Array,
	rank: number,
	outFeatures: number
): Float64Array {
	const inFeatures = x.length;
	const down = new Float64Array(rank);
	for (let k = 0; k < rank; k++) for (let i = 0; i < inFeatures; i++) down[k] += x[i] * a[k * inFeatures + i];
	const y = new Float64Array(outFeatures);
	for (let o = 0; o < outFeatures; o++) for (let k = 0; k < rank; k++) y[o] += down[k] * b[o * rank + k];
	return y;
}

describe('stackAdapters', () => {
	const experts = [
		{ adapter: randomAdapter('a@1', 3, 6, ['q_proj', 'v_proj', 'down_proj'], 1), weight: 1 },
		{
			adapter: randomAdapter('b@1', 8, 8, ['k_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj', 'q_proj'], 2),
			weight: -0.5
		},
		{ adapter: randomAdapter('c@1', 1, 4, ['up_proj'], 3), weight: 2 }
	];
	const stacked = new Map(stackAdapters(config, experts, 16).map((s) => [s.name, s]));

	it('equals the sum of each expert’s scaled product, per layer and module', () => {
		const normal = seededNormal(9);
		for (let layer = 0; layer < config.layers; layer++) {
			for (const group of LORA_GROUPS) {
				const a = stacked.get(`lora.${layer}.${group.name}.A`)!;
				const [groupRank, inFeatures] = a.dims;
				const x = Float64Array.from({ length: inFeatures }, normal);
				let row = 0;
				for (const module of group.modules) {
					const b = stacked.get(`lora.${layer}.${module}.B`)!;
					const [outFeatures, rank] = b.dims;
					expect(rank % 16 === 0 || rank === 1).toBe(true);
					const ours = loraProduct(
						x,
						(a.data as Float32Array).subarray(row * inFeatures, (row + rank) * inFeatures),
						b.data as Float32Array,
						rank,
						outFeatures
					);
					row += rank;
					const expected = new Float64Array(outFeatures);
					for (const { adapter, weight } of experts) {
						const pair = adapter.pairs.get(`${layer}.${module}`);
						if (!pair) continue;
						const y = loraProduct(x, pair.a, pair.b, adapter.rank, outFeatures);
						for (let o = 0; o < outFeatures; o++) expected[o] += ((weight * adapter.alpha) / adapter.rank) * y[o];
					}
					let worst = 0;
					for (let o = 0; o < outFeatures; o++) worst = Math.max(worst, Math.abs(ours[o] - expected[o]));
					expect(worst).toBeLessThan(1e-4);
					expect(expected.some((v) => v !== 0)).toBe(true);
				}
				expect(row).toBe(groupRank);
				const ranks = stacked.get(`lora.${layer}.${group.name}.ranks`);
				if (group.modules.length > 1)
					expect(Array.from(ranks!.data as BigInt64Array, Number)).toEqual(
						group.modules.map((m) => stacked.get(`lora.${layer}.${m}.B`)!.dims[1])
					);
				else expect(ranks).toBeUndefined();
			}
		}
	});

	it('pads each module’s rank to the host’s bucket and uses rank-1 zero blocks when nothing is active', () => {
		// q: a (3) + b (8) = 11 → 16; k: b (8) → 16; v: a (3) → 16.
		expect(stacked.get('lora.0.qkv.A')!.dims).toEqual([48, 28]);
		expect(stacked.get('lora.0.q_proj.B')!.dims).toEqual([28, 16]);
		expect(stacked.get('lora.0.k_proj.B')!.dims).toEqual([4, 16]);
		expect(paddedRank(0, 16)).toBe(1);
		expect(paddedRank(16, 16)).toBe(16);
		expect(paddedRank(17, 16)).toBe(32);
		expect(paddedRank(0, 1)).toBe(1);
		expect(paddedRank(11, 1)).toBe(11);
		const exact = new Map(stackAdapters(config, experts, 1).map((s) => [s.name, s]));
		expect(exact.get('lora.0.qkv.A')!.dims).toEqual([11 + 8 + 3, 28]);
		expect(exact.get('lora.0.q_proj.B')!.dims).toEqual([28, 11]);
		const empty = stackAdapters(config, [], 16);
		expect(empty.every((s) => s.data instanceof BigInt64Array || s.data.every((v) => v === 0))).toBe(true);
		expect(empty.find((s) => s.name === 'lora.0.qkv.A')!.dims).toEqual([3, 28]);
		expect(empty.find((s) => s.name === 'lora.0.up_proj.B')!.dims).toEqual([40, 1]);
	});

	it('keys expert sets by ids and weights in order', () => {
		expect(expertSetKey(experts)).toBe('a@1:1,b@1:-0.5,c@1:2');
		expect(expertSetKey([])).toBe('');
	});
});
