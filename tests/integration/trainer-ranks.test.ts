// The training worker on several processes (src/trainer/worker/ranks.py) under PyTorch's torchrun and gloo on this
// CPU: the same small job, seed and global batch on 1 and on 2 ranks gives the same loss per step (within 1e-4)
// and the same adapter (within 1e-5); only rank 0 reports; a 2-rank job killed with -9 after a checkpoint resumes
// and ends with the adapter of an uninterrupted run; `expert train --nproc 2` trains through the trainer service
// and writes the package, and a process count the trainer cannot give is one line and no job; two `expert train`
// commands as two nodes on loopback (one process each) write the adapter of one process; a rank killed mid-job
// fails the job with that rank's name and pid and leaves no process behind; bad `distributed` fields are one-line
// 400s that store nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
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
import { startTrainerServer } from '../../src/trainer/server.ts';
import { cancelJob, followJob, submitJob, type TrainerEvent } from '../../src/lib/trainer-api/trainer-client.ts';
import type { JobRequestInput } from '../../src/lib/trainer-api/job-request.ts';

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

function adapter(
	jobDir: string,
	file = path.join(jobDir, 'output', 'adapter_model.safetensors')
): Map<string, Float32Array> {
	const parsed = parseSafetensors(readFileSync(file), jobDir);
	return new Map([...parsed.tensors].map(([name, view]) => [name, tensorToFloat32(view)]));
}

function largestDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
	expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
	let largest = 0;
	for (const [name, values] of a)
		values.forEach((value, i) => (largest = Math.max(largest, Math.abs(value - b.get(name)![i]))));
	return largest;
}

/** A port nothing listens on now (the kernel's pick), or a server holding one when `hold` is set. */
async function loopbackPort(hold = false): Promise<{ port: number; server: Server }> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen({ port: 0 }, resolve));
	const port = (server.address() as { port: number }).port;
	if (!hold) await new Promise<void>((resolve) => server.close(() => resolve()));
	return { port, server };
}

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

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

	it('trains one job on two nodes over loopback, one process each: both nodes write the adapter of one process', async () => {
		writeFileSync(path.join(root, 'nodes.jsonl'), sftJsonl(8));
		const common = ['train', '--name', 'two-nodes', '--dataset', 'nodes.jsonl', '--base-model', modelDir, '--r', '4'];
		const settings = [
			'--epochs',
			'2',
			'--max-seq-len',
			'64',
			'--device',
			'cpu',
			'--no-gradient-checkpointing',
			...['--dropout', '0'], // LoRA dropout masks are drawn per rank: only without it is any rank count the same
			'--json'
		];
		const { port } = await loopbackPort();
		const run = (rank: number) =>
			runExpert(
				[
					...common,
					...settings,
					...['--nnodes', '2', '--node-rank', String(rank), '--master-addr', '127.0.0.1'],
					...['--master-port', String(port), '--data-dir', path.join(root, `node-${rank}`)],
					...['--output', `node-${rank}-package`]
				],
				{ cwd: root }
			);
		const [first, second] = await Promise.all([run(0), run(1)]);
		expect(first.code, first.stderr).toBe(0);
		expect(second.code, second.stderr).toBe(0);
		const one = await runExpert(
			[...common, ...settings, '--data-dir', path.join(root, 'one-node'), '--output', 'one-process-package'],
			{ cwd: root }
		);
		expect(one.code, one.stderr).toBe(0);
		const weights = (dir: string) => adapter(root, path.join(root, dir, 'adapter_model.safetensors'));
		const gap = largestDifference(weights('node-0-package'), weights('one-process-package'));
		console.log(`2 nodes vs 1 process: largest adapter difference ${gap.toExponential(2)}`);
		expect(gap).toBeLessThan(1e-5);
		expect(largestDifference(weights('node-1-package'), weights('node-0-package'))).toBe(0);
		const validated = await runExpert(['validate', path.join(root, 'node-0-package')], { cwd: root });
		expect(validated.code, validated.stderr + validated.stdout).toBe(0);
	}, 300_000);

	it('fails both nodes in one line when they were given different jobs', async () => {
		writeFileSync(path.join(root, 'node-a.jsonl'), sftJsonl(8));
		writeFileSync(path.join(root, 'node-b.jsonl'), sftJsonl(9));
		const { port } = await loopbackPort();
		const run = (rank: number, dataset: string) =>
			runExpert(
				[
					...['train', '--name', 'mismatched', '--dataset', dataset, '--base-model', modelDir, '--r', '4'],
					...['--epochs', '1', '--max-seq-len', '64', '--device', 'cpu', '--no-gradient-checkpointing'],
					...['--nnodes', '2', '--node-rank', String(rank), '--master-addr', '127.0.0.1'],
					...['--master-port', String(port), '--data-dir', path.join(root, `mismatch-${rank}`)],
					...['--output', `mismatch-${rank}-package`]
				],
				{ cwd: root }
			);
		const results = await Promise.all([run(0, 'node-a.jsonl'), run(1, 'node-b.jsonl')]);
		for (const [rank, result] of results.entries()) {
			expectOneLineFailure(
				result,
				/^expert: training mismatched failed: rank \d: rank 1 was given another job than rank 0/
			);
			expect(existsSync(path.join(root, `mismatch-${rank}-package`))).toBe(false);
		}
	}, 300_000);

	/** Runs a long 2-rank job on a trainer of its own and calls `act` once it has started, with the launcher's and
	 * the ranks' pids (launcher first); returns the job's last event and those pids. */
	async function twoRankJob(
		name: string,
		act: (ranks: number[], cancel: () => Promise<unknown>) => void
	): Promise<{ last: TrainerEvent | null; pids: number[] }> {
		const trainer = await startTrainerServer({
			dataDir: path.join(root, `${name}-data`),
			port: 0,
			threads: 2,
			modelRoots: [path.dirname(modelDir)]
		});
		try {
			const connection = { url: trainer.url, token: '' };
			const job = await submitJob(connection, {
				name,
				base_model: path.basename(modelDir),
				dataset: { content: sftJsonl(40), name: `${name}.jsonl` },
				epochs: 50,
				max_seq_len: 64,
				device: 'cpu',
				gradient_checkpointing: false,
				distributed: { nproc_per_node: 2 }
			});
			const pids: number[] = [];
			const last = await followJob(connection, job.id, (event: TrainerEvent) => {
				if (event.type !== 'started') return;
				const ranks = event.data.rank_processes as Array<{ rank: number; pid: number }>;
				expect(ranks.map((rank) => rank.rank)).toEqual([0, 1]);
				const launcher = Number(readFileSync(`/proc/${ranks[0].pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
				pids.push(launcher, ...ranks.map((rank) => rank.pid));
				act(
					ranks.map((rank) => rank.pid),
					() => cancelJob(connection, job.id)
				);
			});
			return { last, pids };
		} finally {
			await trainer.close();
		}
	}

	it('fails a job whose rank is killed with that rank, pid, signal and last log line, and leaves no process behind', async () => {
		const { last, pids } = await twoRankJob('crashing', (ranks) => process.kill(ranks[1], 'SIGKILL'));
		expect(last?.type).toBe('failed');
		const message = String(last?.data.message);
		expect(message).toMatch(new RegExp(`^rank 1 \\(pid ${pids[2]}\\) was killed by signal 9`));
		expect(message).toContain(`its last log line: rank 1 of 2 (node 0, pid ${pids[2]}): training from step 0`);
		expect(message).not.toContain('\n');
		expect(pids).toHaveLength(3);
		expect(pids.filter(alive)).toEqual([]);
	}, 300_000);

	it('cancels a two-rank job: every rank and the launcher stop', async () => {
		const { last, pids } = await twoRankJob('cancelled', (_ranks, cancel) => void cancel());
		expect(last?.type).toBe('cancelled');
		expect(pids).toHaveLength(3);
		expect(pids.filter(alive)).toEqual([]);
	}, 300_000);

	it('answers bad distributed fields with a one-line 400 and stores nothing', async () => {
		const trainer = await startTrainerServer({
			dataDir: path.join(root, 'refusing-data'),
			port: 0,
			threads: 2,
			modelRoots: [path.dirname(modelDir)]
		});
		const held = await loopbackPort(true);
		try {
			const body = (distributed: Record<string, unknown>, device = 'cpu') =>
				({
					name: 'refused',
					base_model: path.basename(modelDir),
					dataset: { content: sftJsonl(4), name: 'refused.jsonl' },
					max_seq_len: 64,
					device,
					distributed
				}) as JobRequestInput;
			const nodes = { nnodes: 2, master_addr: '127.0.0.1', master_port: 29_999 };
			const cases: Array<[JobRequestInput, RegExp]> = [
				[body({ ...nodes, node_rank: 2 }), /^distributed\.node_rank: must be below nnodes \(2\)/],
				[body({ nnodes: 2, node_rank: 1 }), /^distributed\.master_addr: the first node's address is needed/],
				[body({ nnodes: 2, master_addr: '127.0.0.1' }), /^distributed\.master_port: a free port/],
				[body({ master_port: 29_999 }), /^distributed\.master_port: only for nnodes > 1/],
				[
					body({ ...nodes, master_port: held.port }),
					new RegExp(`^distributed\\.master_port: port ${held.port} is in use`)
				],
				[body({ nproc_per_node: 2, backend: 'nccl' }), /^distributed\.backend: nccl needs device cuda/],
				[
					body({ nproc_per_node: 64 }, 'cuda'),
					/^distributed\.nproc_per_node: 64 processes on CUDA, but torch sees \d+ GPU/
				],
				[body({ nproc_per_node: 0 }), /^distributed\.nproc_per_node: must be > 0/]
			];
			for (const [request, pattern] of cases) {
				const response = await fetch(`${trainer.url}/v1/jobs`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(request)
				});
				const { error } = (await response.json()) as { error: { code: string; message: string } };
				expect(response.status, error.message).toBe(400);
				expect(error.code).toBe('bad-job-request');
				expect(error.message).toMatch(pattern);
				expect(error.message).not.toContain('\n');
			}
			const listed = (await (await fetch(`${trainer.url}/v1/jobs`)).json()) as { jobs: unknown[] };
			expect(listed.jobs).toEqual([]);
			expect(readdirSync(path.join(root, 'refusing-data', 'jobs'))).toEqual([]);
		} finally {
			held.server.close();
			await trainer.close();
		}
	}, 120_000);
});
