// The trainer service over real loopback HTTP with the real PyTorch worker: an SFT job and a DPO job
// (trained on top of the SFT expert) end to end, SSE events, artifact validity, loss decrease,
// cancellation, restart-resume after killing the service (bad requests: tests/reliability/trainer-requests.test.ts).
// Artifact validity: `expert validate`'s lib finds no problem, and the TS runtime loads the package.
// Runtime: about 60 s on 2 shared cores (tiny qwen2 fixture, 1 torch thread).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateExpertDir } from '../../src/lib/classify/package-validate-fs.ts';
import { readModelFolder } from '../../src/lib/model/model-folder.ts';
import { readAdapter } from '../../src/lib/runtime/adapter-files-fs.ts';
import { unpackArtifact } from '../../src/lib/trainer-api/artifact-unpack-fs.ts';
import type { JobRequestInput } from '../../src/lib/trainer-api/job-request.ts';
import {
	cancelJob,
	downloadArtifact,
	followJob,
	getJob,
	submitJob,
	type TrainerEvent
} from '../../src/lib/trainer-api/trainer-client.ts';
import { startTrainerServer, type TrainerServer } from '../../src/trainer/server.ts';
import { startTinyTrainer } from '../fixtures/tiny-trainer.ts';
import { dpoJsonl, sftJsonl } from '../fixtures/trainer-datasets.ts';
import { writeTinyModel } from '../fixtures/tiny-model.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const ORIGIN = 'http://app.example';
let root: string;
let dataDir: string;
let server: TrainerServer;
/** The shared trainer client (lib/trainer-api) bound to one trainer, as `expert train` uses it. */
function trainerClient(url: string) {
	const trainer = { url, token: '' };
	return {
		submit: (body: Record<string, unknown>) => submitJob(trainer, body as JobRequestInput),
		job: (id: string) => getJob(trainer, id),
		cancel: (id: string) => cancelJob(trainer, id),
		follow: (id: string, onEvent: (event: TrainerEvent) => void) => followJob(trainer, id, onEvent),
		downloadPackage: async (id: string, out: string, replace: boolean) =>
			unpackArtifact(await downloadArtifact(trainer, id), out, replace)
	};
}

let client: ReturnType<typeof trainerClient>;

const tinyJob = (overrides: Record<string, unknown> = {}) => ({
	name: 'tiny-sft',
	base_model: 'tiny-qwen2',
	dataset: { content: sftJsonl(16), name: 'sft.jsonl' },
	method: 'sft',
	r: 4,
	alpha: 8,
	dropout: 0,
	target_modules: ['q_proj', 'v_proj', 'o_proj'],
	epochs: 6,
	lr: 2e-2,
	batch_size: 2,
	max_seq_len: 64,
	checkpoint_every: 3,
	eval_fraction: 0.2,
	device: 'cpu',
	...overrides
});

async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; message: string }> {
	const response = await fetch(`${server.url}/v1/jobs`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body)
	});
	const json = await response.json();
	return { status: response.status, message: json.error?.message ?? '' };
}

async function trainToEnd(body: Record<string, unknown>): Promise<{ id: string; events: TrainerEvent[] }> {
	const job = await client.submit(body);
	const events: TrainerEvent[] = [];
	await client.follow(job.id, (event) => events.push(event));
	return { id: job.id, events };
}

/** `expert validate`'s checks (manifest, adapter config vs tensors, metadata), and the TS runtime loads it on its base. */
async function validatePackage(dir: string): Promise<void> {
	const report = await validateExpertDir(dir);
	expect(report.problems).toEqual([]);
	expect(report.status).toBe('valid');
	const folder = await readModelFolder(path.join(dataDir, 'models', 'tiny-qwen2'));
	expect((await readAdapter(folder.config, dir)).rank).toBe(4);
}

beforeAll(async () => {
	root = mkdtempSync(path.join(tmpdir(), 'trainer-service-'));
	dataDir = path.join(root, 'data');
	server = await startTinyTrainer(dataDir, { queueLimit: 4, corsOrigins: [ORIGIN] });
	client = trainerClient(server.url);
});

afterAll(async () => {
	await server?.close();
	rmSync(root, { recursive: true, force: true });
});

describe('trainer service', () => {
	it('trains an SFT expert end to end and serves a valid package', async () => {
		const { id, events } = await trainToEnd(tinyJob());
		const types = events.map((event) => event.type);
		expect(types[0]).toBe('queued');
		expect(types[1]).toBe('started');
		expect(types.at(-1)).toBe('done');
		for (const type of ['step', 'eval', 'checkpoint']) expect(types).toContain(type);
		const steps = events.filter((event) => event.type === 'step');
		expect(steps[0].data).toEqual(
			expect.objectContaining({
				step: 1,
				loss: expect.any(Number),
				lr: expect.any(Number),
				tokens_per_s: expect.any(Number),
				eta_s: expect.any(Number),
				epoch: expect.any(Number)
			})
		);
		const done = events.at(-1)!.data;
		expect(done.final_loss as number).toBeLessThan((done.first_loss as number) * 0.9);
		expect((await client.job(id)).status).toBe('done');

		const out = path.join(root, 'out', 'tiny-sft-v1');
		expect(await client.downloadPackage(id, out, false)).toEqual([
			'adapter_config.json',
			'adapter_model.safetensors',
			'manifest.json',
			'metadata.json'
		]);
		await validatePackage(out);
		const metadata = JSON.parse(readFileSync(path.join(out, 'metadata.json'), 'utf8'));
		expect(metadata.dataset).toEqual({
			name: 'sft.jsonl',
			sha256: createHash('sha256').update(sftJsonl(16)).digest('hex'),
			records: 16
		});
		expect(metadata.device).toBe('cpu');
		expect(metadata.metrics.final_loss).toBe(done.final_loss);
		expect(metadata.hyperparameters).toMatchObject({ r: 4, alpha: 8, epochs: 6, method: 'sft' });
		const adapterConfig = JSON.parse(readFileSync(path.join(out, 'adapter_config.json'), 'utf8'));
		expect(adapterConfig).toMatchObject({
			peft_type: 'LORA',
			r: 4,
			lora_alpha: 8,
			target_modules: ['q_proj', 'v_proj', 'o_proj'],
			base_model_name_or_path: 'tiny-qwen2'
		});
		await expect(client.downloadPackage(id, out, false)).rejects.toThrow('exists and is not empty');
	});

	it('trains a DPO expert on top of the SFT expert (dependency frozen and active)', async () => {
		const { id, events } = await trainToEnd(
			tinyJob({
				name: 'tiny-dpo',
				method: 'dpo',
				dataset: { content: dpoJsonl(8) },
				beta: 0.5,
				epochs: 4,
				lr: 3e-2,
				manifest: { constraints: { requires: ['tiny-sft@>=1.0.0'] } }
			})
		);
		expect(events.at(-1)!.type).toBe('done');
		const done = events.at(-1)!.data;
		expect(done.first_loss as number).toBeCloseTo(Math.log(2), 4); // policy == reference before the first update
		expect(done.final_loss as number).toBeLessThan(done.first_loss as number);
		const out = path.join(root, 'out', 'tiny-dpo-v1');
		await client.downloadPackage(id, out, false);
		await validatePackage(out);
		const metadata = JSON.parse(readFileSync(path.join(out, 'metadata.json'), 'utf8'));
		expect(metadata.method).toBe('dpo');
		expect(metadata.dependencies).toEqual([{ name: 'tiny-sft', version: '1.0.0' }]);
		expect(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).constraints.requires).toEqual([
			'tiny-sft@>=1.0.0'
		]);
	});

	it('cancels a running job and a queued one, then keeps training others', async () => {
		const long = await client.submit(tinyJob({ name: 'long', epochs: 500 }));
		const queued = await Promise.all([1, 2, 3, 4].map((n) => client.submit(tinyJob({ name: `waiting-${n}` }))));
		expect((await post(tinyJob({ name: 'one-too-many' }))).status).toBe(429); // queue limit 4
		for (const job of queued) {
			expect((await client.job(job.id)).status).toBe('queued');
			await client.cancel(job.id);
			expect((await client.job(job.id)).status).toBe('cancelled');
		}
		const events: TrainerEvent[] = [];
		await client.follow(long.id, (event) => {
			events.push(event);
			if (event.type === 'step' && event.data.step === 1) {
				void fetch(`${server.url}/v1/jobs/${long.id}/artifact`).then((response) => expect(response.status).toBe(409));
				void fetch(`${server.url}/v1/jobs/${long.id}`, { method: 'DELETE' }).then((response) =>
					expect(response.status).toBe(202)
				);
			}
		});
		expect(events.at(-1)!.type).toBe('cancelled');
		expect((await client.job(long.id)).status).toBe('cancelled');
		await expect(client.cancel(long.id)).rejects.toThrow('already ended (cancelled)');
		// Cancelled jobs leave no folder behind (their events stay in the store).
		for (const job of [long, ...queued]) expect(existsSync(path.join(dataDir, 'jobs', job.id)), job.id).toBe(false);
		const next = await trainToEnd(tinyJob({ name: 'after-cancel', epochs: 1 }));
		expect(next.events.at(-1)!.type).toBe('done');
	});

	it('requires the bearer token when configured, and refuses to bind beyond loopback without one', async () => {
		const guarded = await startTrainerServer({ dataDir: path.join(root, 'guarded'), port: 0, token: 's3cret-token' });
		try {
			const missing = await fetch(`${guarded.url}/v1/jobs`);
			expect(missing.status).toBe(401);
			expect((await missing.json()).error.message).toContain('bearer token');
			expect((await fetch(`${guarded.url}/v1/jobs`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
			expect(
				(await fetch(`${guarded.url}/v1/jobs`, { headers: { authorization: 'Bearer s3cret-token' } })).status
			).toBe(200);
		} finally {
			await guarded.close();
		}
		await expect(startTrainerServer({ dataDir: path.join(root, 'exposed'), host: '0.0.0.0', port: 0 })).rejects.toThrow(
			'needs --token'
		);
	});
});

describe('trainer service restart', () => {
	function startService(dir: string): Promise<{ child: ChildProcess; url: string }> {
		const child = spawn(
			process.execPath,
			[
				...[path.join(REPO, 'src/cli/expert.js'), 'trainer', 'serve', '--port', '0'],
				...['--threads', '1', '--data-dir', dir, '--json']
			],
			{
				cwd: REPO,
				stdio: ['ignore', 'pipe', 'inherit']
			}
		);
		return new Promise((resolve, reject) => {
			let text = '';
			const lines = createInterface({ input: child.stdout! });
			lines.on('line', (line) => {
				text += line;
				if (line.trim() === '}') resolve({ child, url: JSON.parse(text).url });
			});
			child.once('exit', (code) => reject(new Error(`trainer serve exited with ${code}`)));
		});
	}

	it('resumes an interrupted job from its last checkpoint and keeps the queue after the service is killed', async () => {
		const dir = path.join(root, 'restart');
		await writeTinyModel(path.join(dir, 'models', 'tiny-qwen2'), { hiddenSize: 112, intermediateSize: 192, seed: 4 });
		const first = await startService(dir);
		const firstClient = trainerClient(first.url);
		const job = await firstClient.submit(
			tinyJob({ name: 'resumable', epochs: 4, batch_size: 1, checkpoint_every: 2, eval_fraction: 0 })
		);
		const waiting = await firstClient.submit(tinyJob({ name: 'queued-across-restart', epochs: 1 }));
		let checkpointStep = 0;
		await new Promise<void>((resolve) => {
			void firstClient
				.follow(job.id, (event) => {
					if (event.type === 'checkpoint' && checkpointStep === 0) checkpointStep = Number(event.data.step);
					// Killed one step past the checkpoint, so the resumed worker re-runs a step already reported.
					if (event.type === 'step' && checkpointStep > 0 && Number(event.data.step) > checkpointStep) {
						first.child.kill('SIGKILL');
						resolve();
					}
				})
				.catch(() => resolve()); // the stream breaks when the service dies
		});
		expect(checkpointStep).toBeGreaterThanOrEqual(2);
		await new Promise((resolve) => first.child.once('close', resolve));

		// The killed service left its lock behind: the next one takes it over, and a third on the same data dir is refused.
		const second = await startService(dir);
		try {
			const third = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
				const child = spawn(
					process.execPath,
					[path.join(REPO, 'src/cli/expert.js'), 'trainer', 'serve', '--port', '0', '--data-dir', dir],
					{ cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] }
				);
				let stderr = '';
				child.stderr.on('data', (chunk) => (stderr += chunk));
				child.once('close', (code) => resolve({ code, stderr }));
			});
			expect(third.code).not.toBe(0);
			expect(third.stderr.trim()).toMatch(
				new RegExp(
					`^expert: another trainer \\(pid ${second.child.pid}\\) is serving .*restart: stop it, or pass another --data-dir$`
				)
			);
			const events: TrainerEvent[] = [];
			await trainerClient(second.url).follow(job.id, (event) => events.push(event));
			const interrupted = events.find((event) => event.type === 'interrupted')!;
			expect(interrupted.data).toEqual({ resumable: true, resume_from_step: expect.any(Number) });
			expect(interrupted.data.resume_from_step as number).toBeGreaterThanOrEqual(checkpointStep);
			const starts = events.filter((event) => event.type === 'started');
			expect(starts.at(-1)!.data.resumed_from_step).toBe(interrupted.data.resume_from_step);
			expect(events.at(-1)!.type).toBe('done');
			// The steps re-run after the checkpoint are not recorded twice: step numbers only ever increase. (A step the
			// orphaned worker finished after the service died may have no event: its checkpoint can still be the resume point.)
			const steps = events.filter((event) => event.type === 'step').map((event) => Number(event.data.step));
			expect(
				steps.every((step, index) => index === 0 || step > steps[index - 1]),
				steps.join(',')
			).toBe(true);
			expect(steps.at(-1)).toBe(Number(starts.at(-1)!.data.total_steps));
			const secondClient = trainerClient(second.url);
			expect(await secondClient.job(job.id)).toMatchObject({ status: 'done', resumes: 1 });
			const waitingEvents: TrainerEvent[] = [];
			await secondClient.follow(waiting.id, (event) => waitingEvents.push(event));
			expect(waitingEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['queued', 'started', 'done']));
			expect(await secondClient.job(waiting.id)).toMatchObject({ status: 'done', resumes: 0 });
		} finally {
			second.child.kill('SIGTERM');
			await new Promise((resolve) => second.child.once('close', resolve));
		}
	});
});
