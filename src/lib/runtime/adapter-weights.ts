// Checks a PEFT LoRA adapter against the loaded base model and extracts its A/B matrices per layer and
// module. Every mismatch (other base, unknown module, wrong or missing tensor) is a one-line ExpertError
// naming the file and tensor; nothing is returned half-checked.
import { ExpertError, type ErrorCode } from '../errors.ts';
import { adapterTensorName, isSavedModuleTensor, parseAdapterTensorName } from '../experts/adapter.ts';
import { countNonFinite, tensorToFloat32, type SafetensorsFile } from '../experts/safetensors.ts';
import { loraOverflowProblem } from '../experts/lora-bounds.ts';
import type { ModelConfig } from '../model/config.ts';
import { isLoraModule, moduleWidths, type LoraModule } from '../model/lora-groups.ts';

/** What the runtime needs of an expert package (a subset of ExpertPackage, already parsed and self-consistent). */
export interface AdapterSource {
	manifest: {
		name: string;
		version: string;
		base_model?: { name: string; hidden_size: number; num_hidden_layers: number };
	};
	adapterConfig: { r: number; lora_alpha: number; target_modules: string[]; modules_to_save?: string[] } | null;
	weights: SafetensorsFile | null;
}

export interface LoraPair {
	/** [r, in] row-major. */
	a: Float32Array;
	/** [out, r] row-major. */
	b: Float32Array;
}

export interface LoadedAdapter {
	/** `name@version`, the cache key of the adapter. */
	id: string;
	rank: number;
	alpha: number;
	/** Key `${layer}.${module}`. */
	pairs: Map<string, LoraPair>;
}

export function pairKey(layer: number, module: LoraModule): string {
	return `${layer}.${module}`;
}

/** `dir` (the package folder or URL) names the files in error messages. */
export function loadAdapterWeights(config: ModelConfig, source: AdapterSource, dir: string): LoadedAdapter {
	const { manifest } = source;
	const manifestFile = `${dir}/manifest.json`;
	const configFile = `${dir}/adapter_config.json`;
	const weightsFile = `${dir}/adapter_model.safetensors`;
	const fail = (code: ErrorCode, message: string): never => {
		throw new ExpertError(code, message);
	};
	const base = manifest.base_model;
	if (base && (base.hidden_size !== config.hiddenSize || base.num_hidden_layers !== config.layers)) {
		fail(
			'adapter-base-mismatch',
			`${manifestFile}: base_model ${base.name} (hidden ${base.hidden_size}, ${base.num_hidden_layers} layers) does not match the loaded base ${config.name} (hidden ${config.hiddenSize}, ${config.layers} layers)`
		);
	}
	const adapterConfig =
		source.adapterConfig ?? fail('adapter-missing', `${configFile}: missing (expert ${manifest.name} has no adapter)`);
	const weights =
		source.weights ??
		fail('adapter-missing', `${weightsFile}: missing (expert ${manifest.name} has no adapter weights)`);
	const { r, lora_alpha: alpha } = adapterConfig;
	if (!Number.isInteger(r) || r <= 0)
		fail('bad-adapter-config', `${configFile}: r must be a positive integer, got ${JSON.stringify(r)}`);
	if (typeof alpha !== 'number' || !Number.isFinite(alpha))
		fail('bad-adapter-config', `${configFile}: lora_alpha must be a number, got ${JSON.stringify(alpha)}`);
	if (!Array.isArray(adapterConfig.target_modules))
		fail('bad-adapter-config', `${configFile}: target_modules must be a list of module names`);
	for (const module of adapterConfig.target_modules) {
		if (!isLoraModule(module))
			fail(
				'unknown-lora-module',
				`${configFile}: target module ${JSON.stringify(module)} is not a projection of ${config.architecture} (q/k/v/o/gate/up/down_proj)`
			);
	}
	const halves = new Map<string, Partial<LoraPair>>();
	for (const [name, view] of weights.tensors) {
		if (isSavedModuleTensor(name, adapterConfig.modules_to_save)) continue;
		const parsed =
			parseAdapterTensorName(name) ??
			fail(
				'unknown-lora-tensor',
				`${weightsFile}: tensor ${name} does not name a LoRA factor of a q/k/v/o/gate/up/down projection`
			);
		const { layer, module, part } = parsed;
		if (!adapterConfig.target_modules.includes(module))
			fail(
				'unknown-lora-module',
				`${weightsFile}: tensor ${name} targets ${module}, which ${configFile} does not list`
			);
		if (layer >= config.layers)
			fail(
				'adapter-base-mismatch',
				`${weightsFile}: tensor ${name} is for layer ${layer}, the base has ${config.layers} layers`
			);
		const { inFeatures, outFeatures } = moduleWidths(config, module);
		const expected = part === 'A' ? [r, inFeatures] : [outFeatures, r];
		if (view.shape.join(',') !== expected.join(',')) {
			fail(
				'bad-lora-shape',
				`${weightsFile}: tensor ${name} has shape [${view.shape.join(', ')}], base ${config.name} with r=${r} needs [${expected.join(', ')}]`
			);
		}
		const key = pairKey(layer, module);
		const pair = halves.get(key) ?? {};
		const values = tensorToFloat32(view);
		if (countNonFinite(values) > 0)
			fail(
				'non-finite-weights',
				`${weightsFile}: tensor ${name} holds ${countNonFinite(values)} NaN or infinite values`
			);
		pair[part === 'A' ? 'a' : 'b'] = values;
		halves.set(key, pair);
	}
	const pairs = new Map<string, LoraPair>();
	for (const [key, pair] of halves) {
		const [layer, module] = key.split('.');
		if (!pair.a || !pair.b)
			return fail(
				'missing-lora-tensor',
				`${weightsFile}: tensor ${adapterTensorName(Number(layer), module as LoraModule, pair.a ? 'B' : 'A')} is missing`
			);
		const overflow = loraOverflowProblem(
			`layer ${layer} ${module}`,
			pair.a,
			pair.b,
			{ inFeatures: moduleWidths(config, module as LoraModule).inFeatures, rank: r },
			alpha
		);
		if (overflow) fail('overflowing-weights', `${weightsFile}: ${overflow}`);
		pairs.set(key, pair as LoraPair);
	}
	if (pairs.size === 0 && (adapterConfig.modules_to_save ?? []).length === 0)
		fail('empty-adapter', `${weightsFile}: holds no LoRA tensors`);
	return { id: `${manifest.name}@${manifest.version}`, rank: r, alpha, pairs };
}
