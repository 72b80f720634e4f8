// Full-parameter pre-training (src/trainer/worker/pretrain.py through runPretrain) on a tiny Qwen2 config and a
// periodic token stream: the loss falls, the weights come out under the HF names, a second run resumes from the
// checkpoint, and lm_eval.py scores the result; on 2 gloo ranks under torchrun (uneven shares of a 5-row batch) the
// losses and weights are one process's. Skipped when /usr/bin/python3 lacks torch. Runtime: ~25 s.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSafetensors, tensorToFloat32 } from '../../src/lib/experts/safetensors.ts';
import type { WorkerEvent } from '../../src/trainer/worker-process.ts';
import { measureHeldoutLoss, runPretrain, type PretrainOptions } from '../../src/trainer/base-worker-runs.ts';

const python = process.env.EXPERT_PYTHON ?? '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.log(`skipping pre-training tests: ${python} cannot import torch and numpy`);

const VOCAB = 48;
const tinyConfig = {
	architectures: ['Qwen2ForCausalLM'],
	model_type: 'qwen2',
	hidden_size: 32,
	intermediate_size: 64,
	num_hidden_layers: 2,
	num_attention_heads: 4,
	num_key_value_heads: 2,
	vocab_size: VOCAB,
	max_position_embeddings: 128,
	rope_theta: 10000,
	rms_norm_eps: 1e-6,
	tie_word_embeddings: true
};

describe.skipIf(!hasTorch)('pretrain.py', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'base-pretrain-test-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	writeFileSync(path.join(dir, 'config.json'), JSON.stringify(tinyConfig));
	// A period-7 pattern over ids 0..6, repeated: fully predictable after a few tokens.
	const tokens = Uint16Array.from({ length: 6000 }, (_, i) => [3, 1, 4, 1, 5, 2, 6][i % 7]);
	writeFileSync(path.join(dir, 'train.bin'), new Uint8Array(tokens.buffer));
	const runDir = path.join(dir, 'run');
	const options = (maxSteps: number): PretrainOptions => ({
		modelDir: dir,
		tokensPath: path.join(dir, 'train.bin'),
		runDir,
		minutes: 5,
		threads: 1,
		batchSize: 4,
		seqLen: 32,
		lr: 1e-2,
		warmupSteps: 5,
		maxSteps,
		logPath: path.join(dir, 'pretrain.log'),
		python
	});

	it('learns a periodic stream, writes HF-named weights and resumes from its checkpoint', async () => {
		const first = await runPretrain(options(40), () => {});
		expect(first.steps).toBe(40);
		const log = readFileSync(path.join(runDir, 'loss.jsonl'), 'utf8')
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(log).toHaveLength(40);
		expect(log[0].loss).toBeGreaterThan(3); // ~ln(48) at random init
		expect(log[39].loss).toBeLessThan(1);
		const weights = parseSafetensors(
			new Uint8Array(readFileSync(path.join(runDir, 'model.safetensors'))),
			'model.safetensors'
		);
		expect(weights.tensors.get('model.layers.1.self_attn.k_proj.bias')?.shape).toEqual([16]);
		expect(weights.tensors.has('lm_head.weight')).toBe(false);

		const events: WorkerEvent[] = [];
		const second = await runPretrain(options(50), (event) => events.push(event));
		expect(events.find((event) => event.event === 'started')?.resumed_from_step).toBe(40);
		expect(second.steps).toBe(50);
		expect(second.tokens).toBe(50 * 4 * 32);

		copyFileSync(path.join(dir, 'config.json'), path.join(runDir, 'config.json'));
		const heldout = await measureHeldoutLoss(runDir, path.join(dir, 'train.bin'), {
			seqLen: 32,
			maxWindows: 8,
			threads: 1,
			python
		});
		expect(heldout.tokens).toBe(8 * 32);
		expect(heldout.loss).toBeLessThan(1);
		expect(heldout.perplexity).toBeCloseTo(Math.exp(heldout.loss), 6);
	});

	it('fails with one line when a token id is outside the vocabulary', async () => {
		writeFileSync(path.join(dir, 'bad.bin'), new Uint8Array(Uint16Array.from([1, 2, VOCAB + 5, 3]).buffer));
		await expect(
			runPretrain({ ...options(1), tokensPath: path.join(dir, 'bad.bin'), runDir: path.join(dir, 'bad-run') }, () => {})
		).rejects.toThrow(/pre-training failed: .*token id 53 is outside the vocabulary \(48\)/);
	});

	it('gives the losses and weights of one process on two ranks (torchrun, gloo)', async () => {
		const run = async (name: string, nproc: number) => {
			const target = path.join(dir, name);
			const settings = { runDir: target, minutes: 100, batchSize: 5, seqLen: 16, nproc };
			await runPretrain({ ...options(5), ...settings }, () => {});
			const losses = readFileSync(path.join(target, 'loss.jsonl'), 'utf8')
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line).loss as number);
			const weights = parseSafetensors(new Uint8Array(readFileSync(path.join(target, 'model.safetensors'))));
			return { losses, weights };
		};
		const one = await run('one-rank', 1);
		const two = await run('two-ranks', 2);
		expect(two.losses).toHaveLength(5);
		two.losses.forEach((loss, step) =>
			expect(Math.abs(loss - one.losses[step]), `step ${step + 1}`).toBeLessThan(1e-4)
		);
		let largest = 0;
		for (const [name, view] of one.weights.tensors) {
			const a = tensorToFloat32(view);
			const b = tensorToFloat32(two.weights.tensors.get(name)!);
			a.forEach((value, i) => (largest = Math.max(largest, Math.abs(value - b[i]))));
		}
		console.log(`pretrain 1 vs 2 ranks: largest weight difference ${largest.toExponential(2)}`);
		expect(largest).toBeLessThan(1e-5);
	}, 120_000);
});
