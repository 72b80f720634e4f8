// The 'trainer-scale' benchmark suite of `expert bench`: the trainer benchmark's workload (trainer/bench.ts) on 1
// and on 2 processes under torchrun (gloo on CPU, NCCL on CUDA), one thread each, side by side in one run: tokens/s,
// time per step and the speed-up. On a GPU machine the same suite measures NCCL ranks.
import type { BenchSuite } from '../lib/bench/bench-suite.ts';
import { runTrainerBenchmark, type TrainerBenchResult } from './bench.ts';
import { workerPython } from './worker-process.ts';

const RANKS = [1, 2];

export const trainerScaleBenchSuite: BenchSuite = {
	name: 'trainer-scale',
	description: 'LoRA SFT training on 1 and 2 processes (torchrun; gloo on CPU): tokens/s and the speed-up',
	async run({ quick, log }) {
		const results: TrainerBenchResult[] = [];
		for (const ranks of RANKS) {
			const result = await runTrainerBenchmark({
				ranks,
				threads: 1,
				...(quick ? { steps: 2, seqLen: 64, layers: 2 } : { steps: 8 })
			});
			log(
				`trainer-scale: ${ranks} process${ranks > 1 ? 'es' : ''} on ${result.device}: ${result.tokens_per_s} tokens/s`
			);
			results.push(result);
		}
		const [one, two] = results;
		const stepMs = (result: TrainerBenchResult) => (1000 * result.train_seconds) / result.settings.steps;
		return {
			suite: 'trainer-scale',
			environment: { device: one.device, torch: one.torch_version, python: workerPython(), threads_per_process: 1 },
			metrics: [
				{ name: `1 process (${one.device})`, value: one.tokens_per_s, unit: 'tokens/s' },
				{ name: `2 processes (${two.device})`, value: two.tokens_per_s, unit: 'tokens/s' },
				{ name: 'speed-up, 2 processes / 1', value: two.tokens_per_s / one.tokens_per_s, unit: '×' }
			],
			tables: [
				{
					title: 'The same global batch on 1 and 2 processes',
					columns: ['processes', 'tokens/s', 'ms per step', 'steps', 'batch', 'seq_len', 'peak MiB (rank 0)'],
					rows: results.map((r) => [
						r.settings.ranks,
						r.tokens_per_s,
						stepMs(r).toFixed(0),
						r.settings.steps,
						r.settings.batch_size,
						r.settings.seq_len,
						(r.peak_memory_bytes / 2 ** 20).toFixed(0)
					])
				}
			],
			notes: [
				'Each process has one thread; the global batch is the same, each process computes its share and the LoRA gradients are summed (gloo all-reduce on CPU). On this 2-core machine, 2 processes use both cores that 1 process leaves half idle.'
			]
		};
	}
};
