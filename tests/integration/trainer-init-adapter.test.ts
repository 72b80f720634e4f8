// Continuing training from an existing adapter (init_adapter, e.g. SFT -> DPO): the worker starts exactly
// from the init weights, DPO's reference policy is the init model (zero reward margin at the first step),
// `expert train --init-adapter` records the init adapter in metadata.json, and a package that does not fit
// the job is a one-line error (CLI exit 1, service 400). Runtime: about 15 s on 2 shared cores (tiny qwen2).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors, tensorToFloat32 } from '../../src/lib/experts/safetensors.ts';
import { startTrainerServer } from '../../src/trainer/server.ts';
import { dpoJsonl } from '../fixtures/trainer-datasets.ts';
import { writeRandomAdapter, writeTinyModel, type TinyModelConfig } from '../fixtures/tiny-model.ts';
import { patternExamples, runWorkerJob, tinyWorkerJob } from '../fixtures/trainer-worker.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const TARGETS = ['q_proj', 'v_proj', 'o_proj'] as const;
let root: string;
let modelDir: string;
let config: TinyModelConfig;
/** An SFT-like package to continue from: r 4, alpha 8, on TARGETS, with a clearly non-zero lora_B. */
let initDir: string;
/** The same, but r 2: does not fit jobs with r 4. */
let rank2Dir: string;

const initWeights = () => path.join(initDir, 'adapter_model.safetensors');

function workerJob(overrides: Record<string, unknown>): Record<string, unknown> {
	return tinyWorkerJob(modelDir, {
		target_modules: [...TARGETS],
		init_adapter: { name: 'init', version: '1.0.0', weights: initWeights() },
		...overrides
	});
}

function readTensors(file: string): Map<string, Float32Array> {
	const parsed = parseSafetensors(new Uint8Array(readFileSync(file)), file);
	return new Map([...parsed.tensors].map(([name, view]) => [name, tensorToFloat32(view)]));
}

function expert(...args: string[]) {
	return spawnSync(process.execPath, [path.join(REPO, 'src/cli/expert.js'), ...args], { encoding: 'utf8', cwd: root });
}

beforeAll(async () => {
	root = mkdtempSync(path.join(tmpdir(), 'trainer-init-adapter-'));
	({ dir: modelDir, config } = await writeTinyModel(path.join(root, 'models', 'tiny-qwen2'), {
		hiddenSize: 112,
		intermediateSize: 192
	}));
	initDir = path.join(root, 'experts', 'init-v1');
	await writeRandomAdapter(initDir, config, { r: 4, targetModules: [...TARGETS], seed: 5, name: 'init', bStd: 0.3 });
	rank2Dir = path.join(root, 'experts', 'rank2-v1');
	await writeRandomAdapter(rank2Dir, config, { r: 2, alpha: 8, targetModules: [...TARGETS], seed: 6, name: 'rank2' });
	const otherBase = { ...config, _name_or_path: 'other-model' };
	await writeRandomAdapter(path.join(root, 'experts', 'other-base-v1'), otherBase, {
		r: 4,
		targetModules: [...TARGETS],
		seed: 7,
		name: 'other-base'
	});
	writeFileSync(path.join(root, 'prefs.jsonl'), dpoJsonl(6));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('training from an init adapter', () => {
	it('starts from the init weights exactly (lr 0 run reproduces them)', () => {
		const jobDir = path.join(root, 'lr0');
		const run = runWorkerJob(jobDir, workerJob({ lr: 0, max_steps: 1 }), patternExamples(4, config.vocab_size));
		expect(run.status, run.stderr).toBe(0);
		const init = readTensors(initWeights());
		const trained = readTensors(path.join(jobDir, 'output', 'adapter_model.safetensors'));
		expect([...trained.keys()].sort()).toEqual([...init.keys()].sort());
		for (const [name, values] of init) {
			const got = trained.get(name)!;
			const worst = values.reduce((max, value, i) => Math.max(max, Math.abs(value - got[i])), 0);
			expect(worst, name).toBeLessThanOrEqual(1e-7);
		}
	});

	it('uses the init model as the DPO reference: zero reward margin at the first step, then it moves', () => {
		const pairs = Array.from({ length: 6 }, (_, i) => ({
			prompt_ids: Array.from({ length: 6 }, (_, j) => (i * 37 + j * 13 + 5) % config.vocab_size),
			chosen_ids: [11, 22, 33],
			rejected_ids: [44, 55, 66, 77]
		}));
		const run = runWorkerJob(
			path.join(root, 'dpo'),
			workerJob({ method: 'dpo', beta: 0.5, lr: 3e-2, max_steps: 3 }),
			pairs
		);
		expect(run.status, run.stderr).toBe(0);
		const steps = run.events.filter((event) => event.event === 'step');
		expect(steps).toHaveLength(3);
		expect(Math.abs(steps[0].reward_margin as number)).toBeLessThanOrEqual(1e-7);
		expect(steps[0].reward_accuracy).toBe(0);
		expect(steps[0].loss as number).toBeCloseTo(Math.log(2), 6);
		expect(Math.abs(steps[2].reward_margin as number)).toBeGreaterThan(1e-4);
	});

	it('expert train --init-adapter continues DPO from a package and records it in metadata.json', () => {
		const output = path.join(root, 'out', 'dpo-on-init');
		const result = expert(
			...['train', '--name', 'dpo-on-init', '--method', 'dpo', '--init-adapter', initDir],
			...['--dataset', 'prefs.jsonl', '--base-model', modelDir, '--r', '4', '--alpha', '8'],
			...['--dropout', '0', '--target-modules', TARGETS.join(','), '--epochs', '1', '--max-steps', '2'],
			...['--lr', '0.01', '--max-seq-len', '64', '--device', 'cpu'],
			...['--data-dir', path.join(root, 'trainer-data'), '--output', output, '--json']
		);
		expect(result.status, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout).metrics.first_loss).toBeCloseTo(Math.log(2), 6);
		const metadata = JSON.parse(readFileSync(path.join(output, 'metadata.json'), 'utf8'));
		expect(metadata.init_adapter).toEqual({
			name: 'init',
			version: '1.0.0',
			sha256: createHash('sha256').update(readFileSync(initWeights())).digest('hex')
		});
		expect(metadata.hyperparameters).not.toHaveProperty('init_adapter');
	});

	it('rejects a package that does not fit in one line: CLI exit 1', () => {
		const result = expert(
			...['train', '--name', 'x', '--init-adapter', rank2Dir, '--dataset', 'prefs.jsonl', '--method', 'dpo'],
			...['--base-model', modelDir, '--r', '4', '--data-dir', path.join(root, 'trainer-data')]
		);
		expect(result.status).toBe(1);
		expect(result.stderr.trim().split('\n')).toEqual([
			expect.stringContaining('init_adapter: rank2@1.0.0 has r=2, the job has r=4 (HTTP 400)')
		]);
	});

	it('rejects a package that does not fit, or cannot be found, with a one-line 400 from the service', async () => {
		const server = await startTrainerServer({
			dataDir: path.join(root, 'service-data'),
			port: 0,
			threads: 1,
			modelRoots: [path.dirname(modelDir)],
			expertRoots: [path.join(root, 'experts')]
		});
		const job = (overrides: Record<string, unknown>) => ({
			name: 'x',
			base_model: 'tiny-qwen2',
			dataset: { content: dpoJsonl(2) },
			method: 'dpo',
			r: 4,
			alpha: 8,
			target_modules: [...TARGETS],
			...overrides
		});
		const cases: Array<[Record<string, unknown>, string]> = [
			[
				job({ init_adapter: 'init@1.0.0', target_modules: ['q_proj', 'v_proj'] }),
				'init_adapter: init@1.0.0 targets q_proj,v_proj,o_proj, the job targets q_proj,v_proj'
			],
			[
				job({ init_adapter: 'init@1.0.0', alpha: 16 }),
				'init_adapter: init@1.0.0 has lora_alpha=8, the job has alpha=16'
			],
			[job({ init_adapter: 'rank2-v1' }), 'init_adapter: rank2@1.0.0 has r=2, the job has r=4'],
			[
				job({ init_adapter: 'other-base@1.0.0' }),
				'init_adapter: other-base@1.0.0 is for base model other-model (hidden 112, 2 layers), the job trains tiny-qwen2'
			],
			[
				job({ init_adapter: 'init@1.0.0', manifest: { constraints: { requires: ['init@>=1.0.0'] } } }),
				'init_adapter: init is also a dependency'
			],
			[job({ init_adapter: 'init@2.0.0' }), "init_adapter: no package init@2.0.0 in the trainer's expert roots"],
			[job({ init_adapter: modelDir }), 'is not an expert package folder inside'],
			[job({ init_adapter: '../experts/init-v1' }), 'must be a plain path without ".."']
		];
		try {
			for (const [body, message] of cases) {
				const response = await fetch(`${server.url}/v1/jobs`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body)
				});
				const answer = (await response.json()).error?.message as string;
				expect(response.status, message).toBe(400);
				expect(answer).toContain(message);
				expect(answer).not.toContain('\n');
			}
		} finally {
			await server.close();
		}
	});
});
