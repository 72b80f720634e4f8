// How the decoder graph groups LoRA projections that share an input (q/k/v; gate/up): one A input per group
// (the modules' A blocks stacked along the rank axis, one x·Aᵀ product) and one B input per module; the
// names and widths of these graph inputs are shared by the graph builder and the runtime's adapter stacker.
import type { LoraModule } from '../experts/adapter.ts';
import type { ModelConfig } from './config.ts';

export { LORA_MODULES, isLoraModule, type LoraModule } from '../experts/adapter.ts';

export type LoraGroupName = 'qkv' | 'o' | 'gate_up' | 'down';

/** Modules of a group, in the order their outputs are concatenated in the fused projection. */
export const LORA_GROUPS: ReadonlyArray<{ name: LoraGroupName; modules: readonly LoraModule[] }> = [
	{ name: 'qkv', modules: ['q_proj', 'k_proj', 'v_proj'] },
	{ name: 'o', modules: ['o_proj'] },
	{ name: 'gate_up', modules: ['gate_proj', 'up_proj'] },
	{ name: 'down', modules: ['down_proj'] }
];

/** Input and output widths of one projection (lora_A is [r, in], lora_B is [out, r]). */
export function moduleWidths(config: ModelConfig, module: LoraModule): { inFeatures: number; outFeatures: number } {
	const q = config.heads * config.headDim;
	const kv = config.kvHeads * config.headDim;
	const h = config.hiddenSize;
	const i = config.intermediateSize;
	const widths: Record<LoraModule, [number, number]> = {
		q_proj: [h, q],
		k_proj: [h, kv],
		v_proj: [h, kv],
		o_proj: [q, h],
		gate_proj: [h, i],
		up_proj: [h, i],
		down_proj: [i, h]
	};
	const [inFeatures, outFeatures] = widths[module];
	return { inFeatures, outFeatures };
}

/** The modules of a group, in fused-output order. */
export function groupModules(group: LoraGroupName): readonly LoraModule[] {
	return LORA_GROUPS.find((g) => g.name === group)!.modules;
}

/** Graph input holding a group's stacked A blocks, [rank, in]. */
export function loraAInputName(layer: number, group: LoraGroupName): string {
	return `lora.${layer}.${group}.A`;
}

/** Graph input (int64 [modules]) with the rank of each module's B in a multi-module group: the split sizes of x·Aᵀ. */
export function loraRanksInputName(layer: number, group: LoraGroupName): string {
	return `lora.${layer}.${group}.ranks`;
}

/** Graph input holding a module's stacked, scaled B blocks, [out, rank]. */
export function loraBInputName(layer: number, module: LoraModule): string {
	return `lora.${layer}.${module}.B`;
}
