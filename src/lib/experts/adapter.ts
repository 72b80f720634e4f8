// The PEFT LoRA adapter: adapter_config.json as a zod schema, and the tensor naming convention of
// adapter_model.safetensors (base_model.model.model.layers.{L}.{self_attn|mlp}.{module}.lora_{A|B}.weight).
import { z } from 'zod';
import { ExpertError } from '../errors.ts';
import { parseJsonText, parseWithSchema } from './json-source.ts';

export const ATTENTION_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj'] as const;
export const MLP_MODULES = ['gate_proj', 'up_proj', 'down_proj'] as const;
export const LORA_MODULES = [...ATTENTION_MODULES, ...MLP_MODULES] as const;
export type LoraModule = (typeof LORA_MODULES)[number];
export type LoraPart = 'A' | 'B';

export const adapterConfigSchema = z.looseObject({
	peft_type: z.literal('LORA', 'must be "LORA"'),
	r: z.number().int('must be an integer').positive('must be > 0'),
	lora_alpha: z.number().positive('must be > 0'),
	lora_dropout: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)'),
	target_modules: z
		.array(z.enum(LORA_MODULES, `must be one of ${LORA_MODULES.join(', ')}`))
		.refine((list) => new Set(list).size === list.length, 'must not repeat a module'),
	/** Whole modules the package carries besides LoRA factors (PEFT's modules_to_save), e.g. a classification head. */
	modules_to_save: z.array(z.string().regex(/^[a-z_]+$/, 'must be a module name (lower case and _)')).optional(),
	base_model_name_or_path: z.string(),
	task_type: z.string().optional(),
	bias: z.enum(['none', 'all', 'lora_only']).optional(),
	fan_in_fan_out: z.literal(false, 'only fan_in_fan_out: false is supported').optional()
});

export type AdapterConfig = {
	peft_type: 'LORA';
	r: number;
	lora_alpha: number;
	lora_dropout: number;
	/** Checked on parse to be LoraModule names; typed as strings so callers can build configs freely. */
	target_modules: string[];
	modules_to_save?: string[];
	base_model_name_or_path: string;
	task_type?: string;
	bias?: 'none' | 'all' | 'lora_only';
	fan_in_fan_out?: boolean;
};

/** Parses adapter_config.json text; throws ExpertError('bad-adapter-config') naming `source` and each bad field. */
export function parseAdapterConfig(jsonText: string, source: string): AdapterConfig {
	const config = parseWithSchema(
		adapterConfigSchema,
		parseJsonText(jsonText, source, 'bad-adapter-config'),
		source,
		'bad-adapter-config'
	);
	if (config.target_modules.length === 0 && (config.modules_to_save ?? []).length === 0) {
		throw new ExpertError(
			'bad-adapter-config',
			`${source}: target_modules: must name at least one module (or modules_to_save a saved module)`
		);
	}
	return config;
}

/** Whether a tensor belongs to one of the adapter's saved modules (`base_model.model.<module>.…`), not to a LoRA factor. */
export function isSavedModuleTensor(name: string, modulesToSave: readonly string[] = []): boolean {
	return modulesToSave.some((module) => name.startsWith(`base_model.model.${module}.`));
}

function moduleBlock(module: LoraModule): 'self_attn' | 'mlp' {
	return (ATTENTION_MODULES as readonly string[]).includes(module) ? 'self_attn' : 'mlp';
}

/** The PEFT tensor name of one LoRA factor. */
export function adapterTensorName(layer: number, module: LoraModule, part: LoraPart): string {
	return `base_model.model.model.layers.${layer}.${moduleBlock(module)}.${module}.lora_${part}.weight`;
}

const TENSOR_NAME = /^base_model\.model\.model\.layers\.(0|[1-9]\d*)\.(self_attn|mlp)\.([a-z_]+)\.lora_(A|B)\.weight$/;

/** True for the projection names LoRA may target here. */
export function isLoraModule(name: string): name is LoraModule {
	return (LORA_MODULES as readonly string[]).includes(name);
}

/** Inverse of adapterTensorName; null for anything that is not a LoRA factor of a known module. */
export function parseAdapterTensorName(name: string): { layer: number; module: LoraModule; part: LoraPart } | null {
	const match = TENSOR_NAME.exec(name);
	if (!match) return null;
	const module = match[3];
	if (!isLoraModule(module) || moduleBlock(module) !== match[2]) return null;
	return { layer: Number(match[1]), module, part: match[4] as LoraPart };
}
