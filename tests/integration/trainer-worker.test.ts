// The Python training worker on its own (no service): SFT loss goes down, a checkpointed run resumes
// to bit-identical weights, packing is exact, frozen dependencies are active, stack dropout draws a seeded
// subset of stack experts per step, bad jobs fail in one line.
// Runtime: about 15 s on 2 shared cores (tiny qwen2 fixture, a few dozen steps, 1 thread).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRandomAdapter, writeTinyModel, type TinyModelConfig } from '../fixtures/tiny-model.ts';
import {
	patternExamples,
	rerunWorkerJob,
	runWorkerJob,
	tinyWorkerJob,
	TRAINER_PYTHON,
	WORKER_DIR
} from '../fixtures/trainer-worker.ts';

let root: string;
let modelDir: string;
let config: TinyModelConfig;

function baseJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return tinyWorkerJob(modelDir, { epochs: 4, grad_accum: 2, seed: 3, checkpoint_every: 4, ...overrides });
}

beforeAll(async () => {
	root = mkdtempSync(path.join(tmpdir(), 'trainer-worker-'));
	({ dir: modelDir, config } = await writeTinyModel(path.join(root, 'tiny-qwen2')));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('training worker', () => {
	it('trains SFT with falling loss and reports every event', () => {
		const run = runWorkerJob(path.join(root, 'sft'), baseJob(), patternExamples(24, config.vocab_size));
		expect(run.status, run.stderr).toBe(0);
		const types = run.events.map((event) => event.event);
		expect(types[0]).toBe('started');
		expect(types.at(-1)).toBe('done');
		expect(types).toContain('checkpoint');
		const steps = run.events.filter((event) => event.event === 'step');
		expect(steps.length).toBe(run.events[0].total_steps);
		for (const step of steps) {
			for (const field of ['step', 'epoch', 'loss', 'lr', 'tokens_per_s', 'eta_s'])
				expect(step[field], field).toEqual(expect.any(Number));
		}
		const done = run.events.at(-1)!;
		expect(done.final_loss as number).toBeLessThan((done.first_loss as number) * 0.8);
		expect(done.device).toBe('cpu');
		expect(done.peak_memory_bytes as number).toBeGreaterThan(0);
	});

	it('resumes from its last checkpoint to the same final adapter', () => {
		const jobDir = path.join(root, 'resume');
		const first = runWorkerJob(jobDir, baseJob({ epochs: 3 }), patternExamples(24, config.vocab_size));
		expect(first.status, first.stderr).toBe(0);
		const weightsPath = path.join(jobDir, 'output', 'adapter_model.safetensors');
		const finalWeights = readFileSync(weightsPath);
		rmSync(path.join(jobDir, 'output'), { recursive: true });
		const second = rerunWorkerJob(jobDir);
		expect(second.status, second.stderr).toBe(0);
		expect(second.events[0].resumed_from_step).toBe(4);
		expect(readdirSync(jobDir).filter((file) => file.startsWith('checkpoint-'))).toEqual(['checkpoint-00000004.pt']);
		expect(second.events.filter((event) => event.event === 'step')[0].step).toBe(5);
		expect(Buffer.compare(readFileSync(weightsPath), finalWeights)).toBe(0);
	});

	it('keeps packed sequences apart exactly', () => {
		const script = [
			'import sys, torch',
			`sys.path.insert(0, ${JSON.stringify(WORKER_DIR)})`,
			'from model import load_base_model',
			`model, _ = load_base_model(${JSON.stringify(modelDir)})`,
			'a, b = torch.tensor([[5, 9, 40, 7]]), torch.tensor([[100, 3, 8, 250, 17]])',
			'packed = model(torch.cat([a, b], 1), torch.tensor([[0, 1, 2, 3, 0, 1, 2, 3, 4]]), torch.tensor([[1, 1, 1, 1, 2, 2, 2, 2, 2]]))',
			'print(max((packed[:, :4] - model(a)).abs().max().item(), (packed[:, 4:] - model(b)).abs().max().item()))'
		].join('\n');
		const result = spawnSync(TRAINER_PYTHON, ['-c', script], { encoding: 'utf8' });
		expect(result.status, result.stderr).toBe(0);
		expect(Number(result.stdout)).toBeLessThan(1e-5);
	});

	/** A random r-2 expert on q/up with a visible effect, as the worker's job lists a frozen adapter. */
	async function frozenExpert(name: string, seed: number) {
		const dir = path.join(root, `${name}-expert`);
		await writeRandomAdapter(dir, config, { r: 2, targetModules: ['q_proj', 'up_proj'], seed, name, bStd: 0.5 });
		return { name, version: '1.0.0', weights: path.join(dir, 'adapter_model.safetensors'), r: 2, alpha: 4 };
	}

	it('trains on top of a frozen, active dependency', async () => {
		const dependency = await frozenExpert('dep', 9);
		const job = baseJob({ epochs: 1, max_steps: 1 });
		const plain = runWorkerJob(path.join(root, 'no-dependency'), job, patternExamples(8, config.vocab_size));
		const stacked = runWorkerJob(
			path.join(root, 'with-dependency'),
			{ ...job, dependencies: [dependency] },
			patternExamples(8, config.vocab_size)
		);
		expect(stacked.status, stacked.stderr).toBe(0);
		expect(stacked.events[0].trainable_parameters).toBe(plain.events[0].trainable_parameters);
		expect(
			Math.abs((stacked.events.at(-1)!.first_loss as number) - (plain.events.at(-1)!.first_loss as number))
		).toBeGreaterThan(1e-3);
	});

	it('stack dropout: stack experts are active in a seeded random subset per step, the same on a rerun, and change the loss', async () => {
		const other = await frozenExpert('other', 5);
		const job = baseJob({
			epochs: 4,
			grad_accum: 1,
			batch_size: 1,
			stack: [other, { ...other, name: 'other-copy' }],
			stack_dropout: 0.5,
			stack_weight_range: [0.5, 1.5]
		});
		const needing = baseJob({
			epochs: 4,
			grad_accum: 1,
			batch_size: 1,
			stack: [other, { ...other, name: 'needs-other', requires: ['other'] }],
			stack_dropout: 0.5
		});
		const first = runWorkerJob(path.join(root, 'stack-a'), job, patternExamples(16, config.vocab_size));
		const again = runWorkerJob(path.join(root, 'stack-b'), job, patternExamples(16, config.vocab_size));
		const plain = runWorkerJob(
			path.join(root, 'stack-none'),
			baseJob({ epochs: 4, grad_accum: 1, batch_size: 1 }),
			patternExamples(16, config.vocab_size)
		);
		expect(first.status, first.stderr).toBe(0);
		const active = (run: typeof first) =>
			run.events.filter((event) => event.event === 'step').map((event) => event.stack_active);
		expect(new Set(active(first)).size, 'some steps stack more experts than others').toBeGreaterThan(1);
		for (const count of active(first)) expect([0, 1, 2]).toContain(count);
		expect(active(again)).toEqual(active(first));
		expect(
			plain.events.filter((event) => event.event === 'step').every((event) => event.stack_active === undefined)
		).toBe(true);
		const losses = (run: typeof first) =>
			run.events.filter((event) => event.event === 'step').map((event) => event.loss as number);
		expect(losses(again)).toEqual(losses(first));
		expect(losses(first)).not.toEqual(losses(plain));
		// Same seed, same draws: where the needing expert is kept without the one it needs, that one is switched on too.
		const withRequirement = runWorkerJob(
			path.join(root, 'stack-requires'),
			needing,
			patternExamples(16, config.vocab_size)
		);
		expect(withRequirement.status, withRequirement.stderr).toBe(0);
		const independent = active(first) as number[];
		const closed = active(withRequirement) as number[];
		expect(closed).toHaveLength(independent.length);
		closed.forEach((count, step) => expect(count).toBeGreaterThanOrEqual(independent[step]));
		expect(
			closed.some((count, step) => count > independent[step]),
			'some step pulled the required expert in'
		).toBe(true);
	});

	it('fails with one line for an unknown target module', () => {
		const run = runWorkerJob(
			path.join(root, 'bad'),
			baseJob({ target_modules: ['qq_proj'] }),
			patternExamples(4, config.vocab_size)
		);
		expect(run.status).toBe(1);
		expect(run.events).toEqual([
			{ event: 'failed', message: expect.stringContaining("unknown target module 'qq_proj'") }
		]);
	});
});
