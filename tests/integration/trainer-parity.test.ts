// Parity of training and inference: a few SFT steps with the Python worker lower the loss, and the TS
// runtime (ONNX, fp32) with the produced adapter gives the worker's own forward logits within 1e-4.
// Where transformers + peft import, the worker's decoder is also checked against transformers' model.
// Both fixture architectures (qwen2: GQA, q/k/v bias, tied embeddings; llama: no bias, untied lm_head).
// Runtime: about 15 s on 2 shared cores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder } from '../../src/lib/model/model-folder.ts';
import { readAdapter } from '../../src/lib/runtime/adapter-files-fs.ts';
import { createNodeHost } from '../../src/lib/runtime/host-fs.ts';
import { ModelRuntime } from '../../src/lib/runtime/model-runtime.ts';
import { writeTinyModel, type TinyArchitecture, type TinyModelConfig } from '../fixtures/tiny-model.ts';
import {
	patternExamples,
	runWorkerJob,
	TRAINER_PYTHON,
	WORKER_DIR,
	type WorkerRun
} from '../fixtures/trainer-worker.ts';

const TOLERANCE = 1e-4;
const PROMPT = [374, 117, 115, 267, 10, 11, 22, 33, 44];
const TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

function workerLogits(modelDir: string, adapterDirs: string[]): Float32Array {
	const input = JSON.stringify({
		model: modelDir,
		adapters: adapterDirs.map((dir) => ({ dir, weight: 1 })),
		input_ids: PROMPT
	});
	const result = spawnSync(TRAINER_PYTHON, [path.join(WORKER_DIR, 'forward.py')], {
		input,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
	if (result.status !== 0) throw new Error(`forward.py failed: ${result.stderr}`);
	return Float32Array.from(JSON.parse(result.stdout).logits as number[]);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
	expect(a.length).toBe(b.length);
	let worst = 0;
	for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
	return worst;
}

function transformersUnavailableReason(): string | null {
	const probe = spawnSync(TRAINER_PYTHON, ['-c', 'import transformers, peft'], { encoding: 'utf8' });
	return probe.status === 0 ? null : `${TRAINER_PYTHON} cannot import transformers + peft`;
}

const skipTransformers = transformersUnavailableReason();
if (skipTransformers) console.warn(`skipping the transformers/peft comparison: ${skipTransformers}`);

describe.each<TinyArchitecture>(['qwen2', 'llama'])('trainer / runtime parity (%s)', (architecture) => {
	let root: string;
	let modelDir: string;
	let packageDir: string;
	let config: TinyModelConfig;
	let run: WorkerRun;

	beforeAll(async () => {
		root = mkdtempSync(path.join(tmpdir(), `trainer-parity-${architecture}-`));
		({ dir: modelDir, config } = await writeTinyModel(path.join(root, `tiny-${architecture}`), {
			architecture,
			seed: 5
		}));
		const jobDir = path.join(root, 'job');
		run = runWorkerJob(
			jobDir,
			{
				base_model_dir: modelDir,
				method: 'sft',
				r: 4,
				alpha: 8,
				dropout: 0,
				target_modules: TARGETS,
				epochs: 3,
				lr: 2e-2,
				batch_size: 2,
				grad_accum: 1,
				max_seq_len: 48,
				seed: 1,
				checkpoint_every: 100,
				threads: 1,
				device: 'cpu',
				dependencies: []
			},
			patternExamples(12, config.vocab_size)
		);
		packageDir = path.join(jobDir, 'output');
		writeFileSync(
			path.join(packageDir, 'manifest.json'),
			JSON.stringify({
				name: 'parity',
				version: '1.0.0',
				description: 'adapter trained by the parity test',
				capabilities: ['parity'],
				constraints: { load_order: 1, requires: [] },
				routing: { keywords: [], priority: 1 }
			})
		);
		writeFileSync(
			path.join(packageDir, 'adapter_config.json'),
			JSON.stringify({
				peft_type: 'LORA',
				r: 4,
				lora_alpha: 8,
				lora_dropout: 0,
				target_modules: TARGETS,
				base_model_name_or_path: `tiny-${architecture}`
			})
		);
	});
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('lowers the training loss', () => {
		expect(run.status, run.stderr).toBe(0);
		const done = run.events.at(-1)!;
		expect(done.event).toBe('done');
		expect(done.final_loss as number).toBeLessThan(done.first_loss as number);
	});

	it('the TS runtime with the trained adapter matches the worker forward within 1e-4', async () => {
		const folder = await readModelFolder(modelDir);
		const runtime = await ModelRuntime.load(createNodeHost({ threads: 1 }), folder.config, folder.weightFiles, {
			precision: 'fp32'
		});
		await runtime.activate([{ adapter: await readAdapter(folder.config, packageDir), weight: 1 }]);
		const ours = (await runtime.forward(PROMPT, runtime.emptyCache())).logits;
		const theirs = workerLogits(modelDir, [packageDir]);
		const diff = maxAbsDiff(ours, theirs);
		console.log(`${architecture}: runtime vs worker with the trained adapter: max |diff| = ${diff.toExponential(2)}`);
		expect(diff).toBeLessThanOrEqual(TOLERANCE);
		expect(maxAbsDiff(theirs, workerLogits(modelDir, []))).toBeGreaterThan(1e-2); // the adapter really changes the output
	});

	it.skipIf(skipTransformers !== null)('the worker decoder matches transformers + peft on the same weights', () => {
		const script = [
			'import json, sys, torch',
			`sys.path.insert(0, ${JSON.stringify(WORKER_DIR)})`,
			'from transformers import AutoModelForCausalLM',
			'from peft import PeftModel',
			`reference = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(${JSON.stringify(modelDir)}, torch_dtype=torch.float32), ${JSON.stringify(packageDir)}).eval()`,
			`ids = torch.tensor([${JSON.stringify(PROMPT)}])`,
			'with torch.no_grad(): print(json.dumps(reference(ids).logits[0].reshape(-1).tolist()))'
		].join('\n');
		const result = spawnSync(TRAINER_PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
		expect(result.status, result.stderr).toBe(0);
		const diff = maxAbsDiff(Float32Array.from(JSON.parse(result.stdout)), workerLogits(modelDir, [packageDir]));
		console.log(`worker vs transformers + peft: max |diff| = ${diff.toExponential(2)}`);
		expect(diff).toBeLessThanOrEqual(TOLERANCE);
	});
});
