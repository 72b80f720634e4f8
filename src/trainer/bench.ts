// The 'trainer' benchmark suite of `expert bench`: trains a LoRA adapter for a few steps on a random
// Qwen2-shaped model through the real worker and reports training tokens/s and peak memory on the
// device the worker picks (CUDA when torch sees one, else CPU).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchSuite } from '../lib/bench/bench-suite.ts';
import { writeTinyModel } from '../lib/model/random-model.ts';
import { ExpertError } from '../lib/errors.ts';
import { spawnTrainingWorker, workerPython, type WorkerEvent } from './worker-process.ts';

export interface TrainerBenchOptions {
	python?: string;
	threads?: number;
	hiddenSize?: number;
	layers?: number;
	seqLen?: number;
	batchSize?: number;
	steps?: number;
	r?: number;
	/** Processes under torchrun (each with `threads` threads); 1: the worker alone. */
	ranks?: number;
}

export interface TrainerBenchResult {
	suite: 'trainer';
	device: string;
	torch_version: string;
	model: { architecture: 'qwen2'; hidden_size: number; num_hidden_layers: number; vocab_size: number };
	settings: {
		seq_len: number;
		batch_size: number;
		steps: number;
		r: number;
		target_modules: string[];
		threads: number;
		ranks: number;
	};
	tokens_per_s: number;
	peak_memory_bytes: number;
	train_seconds: number;
}

const ALL_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

export async function runTrainerBenchmark(options: TrainerBenchOptions = {}): Promise<TrainerBenchResult> {
	const settings = {
		seq_len: options.seqLen ?? 128,
		batch_size: options.batchSize ?? 4,
		steps: options.steps ?? 4,
		r: options.r ?? 16,
		target_modules: ALL_MODULES,
		threads: options.threads ?? 1,
		ranks: options.ranks ?? 1
	};
	const root = mkdtempSync(path.join(tmpdir(), 'expert-trainer-bench-'));
	try {
		const { dir: modelDir, config } = await writeTinyModel(path.join(root, 'bench-qwen2'), {
			hiddenSize: options.hiddenSize ?? 224,
			intermediateSize: 4 * (options.hiddenSize ?? 224),
			layers: options.layers ?? 4,
			name: 'bench-qwen2'
		});
		const jobDir = path.join(root, 'job');
		mkdirSync(jobDir);
		const examples = Array.from({ length: settings.batch_size * settings.steps }, (_, row) => {
			const ids = Array.from({ length: settings.seq_len }, (_, i) => (row * 7919 + i * 104729) % config.vocab_size);
			return { input_ids: ids, loss_mask: ids.map((_, i) => (i < settings.seq_len / 4 ? 0 : 1)) };
		});
		writeFileSync(path.join(jobDir, 'tokens.json'), JSON.stringify({ examples }));
		writeFileSync(
			path.join(jobDir, 'job.json'),
			JSON.stringify({
				base_model_dir: modelDir,
				method: 'sft',
				r: settings.r,
				alpha: 2 * settings.r,
				dropout: 0.05,
				target_modules: ALL_MODULES,
				epochs: 1,
				lr: 1e-4,
				batch_size: settings.batch_size,
				grad_accum: 1,
				max_seq_len: settings.seq_len,
				seed: 0,
				checkpoint_every: 1_000_000,
				threads: settings.threads,
				device: 'auto',
				gradient_checkpointing: true,
				dependencies: []
			})
		);
		let done: WorkerEvent | null = null;
		let failure = '';
		const worker = spawnTrainingWorker({
			python: workerPython(options.python),
			jobDir,
			threads: settings.threads,
			ranks: settings.ranks,
			onEvent: (event) => {
				if (event.event === 'done') done = event;
				if (event.event === 'failed') failure = String(event.message);
			}
		});
		const exit = await worker.exited;
		const result = done as WorkerEvent | null;
		if (!result)
			throw new ExpertError(
				'bench-failed',
				`trainer benchmark failed: ${exit.spawnError ?? (failure || `worker exit code ${exit.code}`)}`
			);
		return {
			suite: 'trainer',
			device: String(result.device),
			torch_version: String(result.torch_version),
			model: {
				architecture: 'qwen2',
				hidden_size: config.hidden_size,
				num_hidden_layers: config.num_hidden_layers,
				vocab_size: config.vocab_size
			},
			settings,
			tokens_per_s: Number(result.tokens_per_s),
			peak_memory_bytes: Number(result.peak_memory_bytes),
			train_seconds: Number(result.train_seconds)
		};
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
}

export const trainerBenchSuite: BenchSuite = {
	name: 'trainer',
	description: 'LoRA SFT training speed and peak memory of the PyTorch worker (CUDA if available, else CPU)',
	async run({ quick, log }) {
		const result = await runTrainerBenchmark(quick ? { steps: 2, seqLen: 64, layers: 2 } : {});
		log(
			`trained ${result.settings.steps} steps on ${result.device}: ${result.tokens_per_s} tokens/s, peak ${(result.peak_memory_bytes / 2 ** 20).toFixed(0)} MiB`
		);
		return {
			suite: 'trainer',
			environment: {
				device: result.device,
				torch: result.torch_version,
				python: workerPython(),
				threads: result.settings.threads
			},
			metrics: [
				{ name: `training throughput (${result.device})`, value: result.tokens_per_s, unit: 'tokens/s' },
				{ name: `peak memory (${result.device})`, value: result.peak_memory_bytes / 2 ** 20, unit: 'MiB' }
			],
			tables: [
				{
					title: 'Trainer benchmark workload',
					columns: ['model', 'hidden', 'layers', 'vocab', 'seq_len', 'batch', 'steps', 'r', 'modules'],
					rows: [
						[
							'random qwen2',
							result.model.hidden_size,
							result.model.num_hidden_layers,
							result.model.vocab_size,
							result.settings.seq_len,
							result.settings.batch_size,
							result.settings.steps,
							result.settings.r,
							result.settings.target_modules.join(',')
						].map(String)
					]
				}
			],
			notes: [
				result.device === 'cpu'
					? 'CPU: fp32, no gradient checkpointing; peak memory is the worker process maximum RSS.'
					: 'CUDA: bf16 autocast with gradient checkpointing; peak memory is torch.cuda.max_memory_allocated.'
			]
		};
	}
};
