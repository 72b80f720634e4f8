// Consistency of adapter weights against their adapter_config.json (and the manifest's declared base):
// names parse, every target module has A and B, ranks and inner dimensions agree, shapes are stable, values finite.
import type { AdapterConfig } from './adapter.ts';
import { isLoraModule, isSavedModuleTensor, parseAdapterTensorName, type LoraModule } from './adapter.ts';
import type { ExpertManifest } from './manifest.ts';
import { countNonFinite, tensorToFloat32, type SafetensorsFile, type TensorView } from './safetensors.ts';
import { loraOverflowProblem } from './lora-bounds.ts';

/** Modules whose input (lora_A's second dim) is the model's hidden size. */
const READS_HIDDEN: readonly LoraModule[] = ['q_proj', 'k_proj', 'v_proj', 'gate_proj', 'up_proj'];
/** Modules whose output (lora_B's first dim) is the model's hidden size. */
const WRITES_HIDDEN: readonly LoraModule[] = ['o_proj', 'down_proj'];

interface LayerFactors {
	A?: TensorView;
	B?: TensorView;
}

const shapeText = (tensor: TensorView) => `[${tensor.shape.join(', ')}]`;

/** Groups well-named 2-D tensors by module then layer; tensors of saved modules are skipped, every other one is reported. */
function groupFactors(
	weights: SafetensorsFile,
	modulesToSave: readonly string[],
	problems: string[]
): Map<LoraModule, Map<number, LayerFactors>> {
	const byModule = new Map<LoraModule, Map<number, LayerFactors>>();
	for (const [name, tensor] of weights.tensors) {
		if (isSavedModuleTensor(name, modulesToSave)) continue;
		const parsed = parseAdapterTensorName(name);
		if (!parsed) {
			problems.push(
				`tensor ${name}: not a LoRA factor name (base_model.model.model.layers.{L}.{self_attn|mlp}.{module}.lora_{A|B}.weight)`
			);
			continue;
		}
		if (tensor.shape.length !== 2) {
			problems.push(`tensor ${name}: shape ${shapeText(tensor)} is not 2-D`);
			continue;
		}
		const layers = byModule.get(parsed.module) ?? new Map<number, LayerFactors>();
		byModule.set(parsed.module, layers);
		const factors = layers.get(parsed.layer) ?? {};
		layers.set(parsed.layer, factors);
		factors[parsed.part] = tensor;
	}
	return byModule;
}

/** Checks one module across layers: A/B pairs, rank, inner dims, same in/out features everywhere. */
function checkModule(module: LoraModule, layers: Map<number, LayerFactors>, rank: number, problems: string[]): void {
	let reference: { layer: number; inFeatures: number; outFeatures: number } | null = null;
	for (const [layer, { A, B }] of [...layers].sort((x, y) => x[0] - y[0])) {
		const where = `layer ${layer} ${module}`;
		if (!A || !B) {
			problems.push(`${where}: has lora_${A ? 'A' : 'B'} but no lora_${A ? 'B' : 'A'}`);
			continue;
		}
		if (A.shape[0] !== rank)
			problems.push(`${where}: lora_A ${shapeText(A)} has rank ${A.shape[0]}, adapter_config r is ${rank}`);
		if (B.shape[1] !== rank)
			problems.push(`${where}: lora_B ${shapeText(B)} has rank ${B.shape[1]}, adapter_config r is ${rank}`);
		if (A.shape[0] !== B.shape[1])
			problems.push(`${where}: inner dims differ (lora_A ${shapeText(A)}, lora_B ${shapeText(B)})`);
		const current = { layer, inFeatures: A.shape[1], outFeatures: B.shape[0] };
		if (!reference) reference = current;
		else if (current.inFeatures !== reference.inFeatures || current.outFeatures !== reference.outFeatures) {
			problems.push(
				`${where}: maps ${current.inFeatures} -> ${current.outFeatures} features but layer ${reference.layer} maps ${reference.inFeatures} -> ${reference.outFeatures}`
			);
		}
	}
}

/** Checks tensors against the declared base (layer count, hidden size). */
function checkBase(
	byModule: Map<LoraModule, Map<number, LayerFactors>>,
	base: NonNullable<ExpertManifest['base_model']>,
	problems: string[]
): void {
	for (const [module, layers] of byModule) {
		for (const [layer, { A, B }] of layers) {
			if (layer >= base.num_hidden_layers)
				problems.push(`layer ${layer} ${module}: base ${base.name} has only ${base.num_hidden_layers} layers`);
			if (A && READS_HIDDEN.includes(module) && A.shape[1] !== base.hidden_size) {
				problems.push(
					`layer ${layer} ${module}: lora_A ${shapeText(A)} reads ${A.shape[1]} features, base ${base.name} hidden size is ${base.hidden_size}`
				);
			}
			if (B && WRITES_HIDDEN.includes(module) && B.shape[0] !== base.hidden_size) {
				problems.push(
					`layer ${layer} ${module}: lora_B ${shapeText(B)} writes ${B.shape[0]} features, base ${base.name} hidden size is ${base.hidden_size}`
				);
			}
		}
	}
}

/** Each well-formed pair's weights against fp16's range (lora-bounds.ts). */
function checkMagnitudes(
	byModule: Map<LoraModule, Map<number, LayerFactors>>,
	config: AdapterConfig,
	problems: string[]
): void {
	for (const [module, layers] of byModule) {
		for (const [layer, { A, B }] of layers) {
			if (!A || !B) continue;
			const problem = loraOverflowProblem(
				`layer ${layer} ${module}`,
				tensorToFloat32(A),
				tensorToFloat32(B),
				{ inFeatures: A.shape[1], rank: A.shape[0] },
				config.lora_alpha
			);
			if (problem) problems.push(problem);
		}
	}
}

/** Every inconsistency between the adapter config, its tensors and the declared base; empty when sound. */
export function findAdapterProblems(
	config: AdapterConfig,
	weights: SafetensorsFile,
	base?: ExpertManifest['base_model']
): string[] {
	const problems: string[] = [];
	if (weights.tensors.size === 0) return ['adapter_model.safetensors holds no tensors'];
	const byModule = groupFactors(weights, config.modules_to_save ?? [], problems);
	for (const module of config.target_modules) {
		if (isLoraModule(module) && !byModule.has(module)) problems.push(`target module ${module} has no tensors`);
	}
	for (const [module, layers] of byModule) {
		if (!config.target_modules.includes(module)) problems.push(`tensors for ${module}, which is not in target_modules`);
		checkModule(module, layers, config.r, problems);
	}
	const layerSets = [...byModule].map(([module, layers]) => ({
		module,
		layers: [...layers.keys()].sort((a, b) => a - b).join(',')
	}));
	const odd = layerSets.find((entry) => entry.layers !== layerSets[0].layers);
	if (odd)
		problems.push(
			`${odd.module} covers layers [${odd.layers}] but ${layerSets[0].module} covers [${layerSets[0].layers}]`
		);
	if (base) checkBase(byModule, base, problems);
	for (const [name, view] of weights.tensors) {
		const bad = countNonFinite(tensorToFloat32(view));
		if (bad > 0) problems.push(`tensor ${name} holds ${bad} NaN or infinite value${bad === 1 ? '' : 's'}`);
	}
	if (problems.length === 0) checkMagnitudes(byModule, config, problems);
	return problems;
}
