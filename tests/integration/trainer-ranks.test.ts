// The training worker on several processes (src/trainer/worker/ranks.py) under PyTorch's torchrun and gloo on this
// CPU: the same small job, seed and global batch on 1 and on 2 ranks gives the same loss per step (within 1e-4)
// and the same adapter (within 1e-5); only rank 0 reports; a 2-rank job killed with -9 after a checkpoint resumes
// and ends with the adapter of an uninterrupted run; `expert train --nproc 2` trains through the trainer service
// and writes the package, and a process count the trainer cannot give is one line and no job.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors, tensorToFloat32 } from '../../src/lib/experts/safetensors.ts';
import {
	patternExamples,
	rerunWorkerJob,
	runWorkerJob,
	tinyWorkerJob,
	writeWorkerJob,
	TORCHRUN,
	TRAINER_PYTHON,
	WORKER_DIR,
	type WorkerRun
} from '../fixtures/trainer-worker.ts';
import { writeTinyModel } from '../fixtures/tiny-model.ts';
import { expectOneLineFailure, runExpert } from '../fixtures/expert-cli.ts';
import { sftJsonl } from '../fixtures/trainer-datasets.ts';

let root: string;
let modelDir: string;
let vocab: number;
const skip = existsSync(TRAINER_PYTHON) ? null : `${TRAINER_PYTHON} not found`;
if (skip) console.warn(`skipping the multi-process trainer test: ${skip}`);

beforeAll(async () => {
	root = mkdtempSync(path.join(tmpdir(), 'trainer-ranks-'));
	const model = await writeTinyModel(path.join(root, 'tiny-qwen2'));
	modelDir = model.dir;
	vocab = model.config.vocab_size;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Five steps of 2 micro-batches of 3 packed rows: odd shares, so rank 1 gets fewer rows than rank 0. */
const job = () =>
	tinyWorkerJob(modelDir, { batch_size: 3, grad_accum: 2, epochs: 3, max_steps: 5, seed: 5, checkpoint_every: 2 });
const losses = (run: WorkerRun) => run.events.filter((e) => e.event === 'step').map((e) => e.loss as number);

function adapter(jobDir: string): Map<string, Float32Array> {
	const file = parseSafetensors(readFileSync(path.join(jobDir, 'output', 'adapter_model.safetensors')), jobDir);
	return new Map([...file.tensors].map(([name, view]) => [name, tensorToFloat32(view)]));
}

function largestDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
	expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
	let largest = 0;
	for (const [name, values] of a)
		values.forEach((value, i) => (largest = Math.max(largest, Math.abs(value - b.get(name)![i]))));
	return largest;
}

describe.skipIf(skip)('training worker on several processes (torchrun, gloo)', () => {
	it('gives the losses and adapter of one process on two', () => {
		const examples = patternExamples(30, vocab);
		const one = runWorkerJob(path.join(root, 'one'), job(), examples);
		expect(one.status, one.stderr).toBe(0);
		const two = runWorkerJob(path.join(root, 'two'), job(), examples, 2);
		expect(two.status, two.stderr).toBe(0);
		expect(two.events.filter((e) => e.event === 'started')).toHaveLength(1); // rank 0 alone reports
		expect(two.events[0].ranks).toBe(2);
		expect(losses(two)).toHaveLength(5);
		const lossGap = Math.max(...losses(two).map((loss, step) => Math.abs(loss - losses(one)[step])));
		const weightGap = largestDifference(adapter(path.join(root, 'one')), adapter(path.join(root, 'two')));
		console.log(
			`1 vs 2 ranks: largest loss difference ${lossGap.toExponential(2)}, largest adapter difference ${weightGap.toExponential(2)}`
		);
		losses(two).forEach((loss, step) =>
			expect(Math.abs(loss - losses(one)[step]), `step ${step + 1}`).toBeLessThan(1e-4)
		);
		expect(weightGap).toBeLessThan(1e-5);
	}, 300_000);

	it('resumes a two-process job killed with -9 after a checkpoint, to the adapter of an uninterrupted run', async () => {
		const examples = patternExamples(30, vocab);
		const whole = runWorkerJob(path.join(root, 'whole'), job(), examples, 2);
		expect(whole.status, whole.stderr).toBe(0);
		const jobDir = path.join(root, 'killed');
		writeWorkerJob(jobDir, job(), examples);
		// Killed (the whole process group, -9) as soon as the step-2 checkpoint is reported.
		await new Promise<void>((resolve) => {
			const train = [path.join(WORKER_DIR, 'train.py'), '--job-dir', jobDir];
			const child = spawn(TRAINER_PYTHON, [...TORCHRUN, '--nproc_per_node=2', ...train], {
				detached: true,
				env: { ...process.env, OMP_NUM_THREADS: '1' }
			});
			child.stdout.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('"checkpoint"')) process.kill(-child.pid!, 'SIGKILL');
			});
			child.on('close', () => resolve());
		});
		expect(existsSync(path.join(jobDir, 'output'))).toBe(false);
		const resumed = rerunWorkerJob(jobDir, 2);
		expect(resumed.status, resumed.stderr).toBe(0);
		expect(resumed.events[0].resumed_from_step).toBe(2);
		expect(largestDifference(adapter(jobDir), adapter(path.join(root, 'whole')))).toBeLessThan(1e-5);
	}, 300_000);

	it('trains through the trainer service on two processes with expert train --nproc 2; a count it cannot give is refused', async () => {
		writeFileSync(path.join(root, 'good.jsonl'), sftJsonl(6));
		const common = ['train', '--name', 'two-ranks', '--dataset', 'good.jsonl', '--base-model', modelDir, '--r', '4'];
		const settings = ['--epochs', '2', '--max-seq-len', '64', '--device', 'cpu', '--no-gradient-checkpointing'];
		const dataDir = ['--data-dir', path.join(root, 'trainer-data')];
		const trained = await runExpert([...common, ...settings, ...dataDir, '--nproc', '2', '--json'], { cwd: root });
		expect(trained.code, trained.stderr).toBe(0);
		const result = JSON.parse(trained.stdout);
		expect(result.metrics.steps).toBeGreaterThan(0);
		expect(readdirSync(path.join(root, result.output)).sort()).toEqual(
			expect.arrayContaining(['adapter_config.json', 'adapter_model.safetensors', 'manifest.json'])
		);
		const refused = await runExpert([...common, ...settings, ...dataDir, '--nproc', '64', '--output', 'nope'], {
			cwd: root
		});
		expectOneLineFailure(
			refused,
			/distributed\.nproc_per_node: 64 processes on CPU, but this trainer runs \d+ threads/
		);
		expect(existsSync(path.join(root, 'nope'))).toBe(false);
	}, 300_000);
});
