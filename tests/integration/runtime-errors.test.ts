// Bad input to the runtime: unsupported architecture, missing or wrong-shaped base tensors, adapters for
// another base, adapters naming unknown modules — each one ExpertError line naming the file and tensor (or
// layer and module, from the experts package reader) — and a failed activation leaves the previous set active. About 3 s.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpertError } from '../../src/lib/errors.ts';
import { editSafetensorsFile } from '../fixtures/edit-safetensors.ts';
import { readModelFolder } from '../../src/lib/model/model-folder.ts';
import { readAdapter } from '../../src/lib/runtime/adapter-files-fs.ts';
import { createNodeHost } from '../../src/lib/runtime/host-fs.ts';
import { loadExperts } from '../../src/lib/runtime/load-fs.ts';
import { ModelRuntime } from '../../src/lib/runtime/model-runtime.ts';
import { writeRandomAdapter, writeTinyModel, type TinyModelConfig } from '../fixtures/tiny-model.ts';

let root: string;
let qwenConfig: TinyModelConfig;
let llamaConfig: TinyModelConfig;

/** Rewrites a safetensors file through `edit` (tensors as fp32). */

async function editJson(file: string, edit: (value: Record<string, unknown>) => void): Promise<void> {
	const value = JSON.parse(await readFile(file, 'utf8'));
	edit(value);
	await writeFile(file, JSON.stringify(value));
}

async function loadError(work: () => Promise<unknown>): Promise<ExpertError> {
	const error = await work().then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ExpertError);
	expect((error as Error).message).not.toContain('\n');
	return error as ExpertError;
}

async function loadModel(dir: string): Promise<ModelRuntime> {
	const folder = await readModelFolder(dir);
	return ModelRuntime.load(
		createNodeHost({ threads: 1 }),
		folder.config,
		folder.weightFiles,
		{ precision: 'fp32' },
		folder.configSource
	);
}

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'runtime-errors-'));
	qwenConfig = (await writeTinyModel(path.join(root, 'qwen'), { architecture: 'qwen2', seed: 1 })).config;
	llamaConfig = (await writeTinyModel(path.join(root, 'llama'), { architecture: 'llama', seed: 2 })).config;
});
afterAll(async () => {
	if (root) await rm(root, { recursive: true, force: true });
});

describe('base model errors', () => {
	it('rejects an unsupported architecture naming config.json', async () => {
		const dir = path.join(root, 'gpt2');
		await writeTinyModel(dir, { seed: 1 });
		await editJson(path.join(dir, 'config.json'), (c) => {
			c.model_type = 'gpt2';
			c.architectures = ['GPT2LMHeadModel'];
		});
		const error = await loadError(() => readModelFolder(dir));
		expect(error.message).toBe(
			`${path.join(dir, 'config.json')}: model_type "gpt2" is not supported (supported: qwen2, llama)`
		);
	});

	it('rejects a missing tensor naming the file and tensor', async () => {
		const dir = path.join(root, 'missing');
		await writeTinyModel(dir, { seed: 1 });
		editSafetensorsFile(path.join(dir, 'model.safetensors'), (t) => delete t['model.layers.1.mlp.up_proj.weight']);
		const error = await loadError(() => loadModel(dir));
		expect(error.message).toMatch(/model\.safetensors: tensor model\.layers\.1\.mlp\.up_proj\.weight is missing/);
	});

	it('rejects a wrong-shaped tensor naming the file, tensor and both shapes', async () => {
		const dir = path.join(root, 'shape');
		await writeTinyModel(dir, { seed: 1 });
		editSafetensorsFile(path.join(dir, 'model.safetensors'), (t) => {
			t['model.layers.0.self_attn.k_proj.weight'] = {
				dtype: 'F32',
				shape: [16, 224],
				data: new Float32Array(16 * 224)
			};
		});
		const error = await loadError(() => loadModel(dir));
		expect(error.message).toBe(
			`${path.join(dir, 'model.safetensors')}: tensor model.layers.0.self_attn.k_proj.weight has shape [16, 224], ${path.join(dir, 'config.json')} implies [32, 224]`
		);
	});
});

describe('adapter errors', () => {
	let runtime: ModelRuntime;
	beforeAll(async () => {
		runtime = await loadModel(path.join(root, 'qwen'));
	});

	it('rejects an adapter for another base by its manifest, or by tensor shape without one', async () => {
		const dir = path.join(root, 'other-base-v1');
		await writeRandomAdapter(dir, llamaConfig, { r: 4, targetModules: ['q_proj'], seed: 1, name: 'other-base' });
		const byManifest = await loadError(() => readAdapter(runtime.config, dir));
		expect(byManifest.message).toMatch(
			/other-base-v1\/manifest\.json: base_model tiny-llama \(hidden 128, 2 layers\) does not match the loaded base tiny-qwen2 \(hidden 224, 2 layers\)/
		);
		await editJson(path.join(dir, 'manifest.json'), (m) => delete m.base_model);
		const byShape = await loadError(() => readAdapter(runtime.config, dir));
		expect(byShape.message).toMatch(
			/adapter_model\.safetensors: tensor base_model\.model\.model\.layers\.\d\.self_attn\.q_proj\.lora_[AB]\.weight has shape \[\d+, \d+\], base tiny-qwen2 with r=4 needs \[\d+, \d+\]/
		);
	});

	it('rejects an adapter naming an unknown module (config or tensor)', async () => {
		const dir = path.join(root, 'unknown-module-v1');
		await writeRandomAdapter(dir, qwenConfig, { r: 4, targetModules: ['q_proj'], seed: 1, name: 'unknown-module' });
		await editJson(path.join(dir, 'adapter_config.json'), (c) => (c.target_modules = ['q_proj', 'lm_head']));
		const byConfig = await loadError(() => readAdapter(runtime.config, dir));
		expect(byConfig.message).toMatch(
			/unknown-module-v1\/adapter_config\.json: target_modules\[1\]: must be one of q_proj, /
		);
		await editJson(path.join(dir, 'adapter_config.json'), (c) => (c.target_modules = ['q_proj']));
		editSafetensorsFile(path.join(dir, 'adapter_model.safetensors'), (t) => {
			t['base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight'] = {
				dtype: 'F32',
				shape: [4, 224],
				data: new Float32Array(4 * 224)
			};
		});
		const byTensor = await loadError(() => readAdapter(runtime.config, dir));
		expect(byTensor.message).toMatch(
			/unknown-module-v1: tensor base_model\.model\.model\.layers\.0\.self_attn\.qkv_proj\.lora_A\.weight: not a LoRA factor name/
		);
	});

	it('rejects a half-missing pair and an out-of-range layer', async () => {
		const dir = path.join(root, 'half-v1');
		await writeRandomAdapter(dir, qwenConfig, { r: 4, targetModules: ['v_proj'], seed: 1, name: 'half' });
		editSafetensorsFile(
			path.join(dir, 'adapter_model.safetensors'),
			(t) => delete t['base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight']
		);
		expect((await loadError(() => readAdapter(runtime.config, dir))).message).toMatch(
			/half-v1: layer 1 v_proj: has lora_A but no lora_B/
		);
		editSafetensorsFile(path.join(dir, 'adapter_model.safetensors'), (t) => {
			t['base_model.model.model.layers.7.self_attn.v_proj.lora_A.weight'] = {
				dtype: 'F32',
				shape: [4, 224],
				data: new Float32Array(4 * 224)
			};
		});
		expect((await loadError(() => readAdapter(runtime.config, dir))).message).toMatch(
			/layer 7 v_proj: base tiny-qwen2 has only 2 layers/
		);
	});

	it('keeps the previous expert set active when a new set fails to load', async () => {
		const good = path.join(root, 'good-v1');
		await writeRandomAdapter(good, qwenConfig, { r: 8, targetModules: ['q_proj', 'down_proj'], seed: 9, name: 'good' });
		await runtime.activate(await loadExperts(runtime, [{ ref: good, weight: 1 }], root));
		const before = runtime.activeSetKey;
		const logitsBefore = (await runtime.forward([5, 6, 7], runtime.emptyCache())).logits;
		await loadError(async () =>
			runtime.activate(
				await loadExperts(
					runtime,
					[
						{ ref: good, weight: 0.5 },
						{ ref: path.join(root, 'unknown-module-v1'), weight: 1 }
					],
					root
				)
			)
		);
		await loadError(async () =>
			runtime.activate(await loadExperts(runtime, [{ ref: 'no-such-expert', weight: 1 }], root))
		);
		expect(runtime.activeSetKey).toBe(before);
		expect((await runtime.forward([5, 6, 7], runtime.emptyCache())).logits).toEqual(logitsBefore);
	});
});
