// Spawns the Python training worker for one job dir and turns its stdout (one JSON event per line)
// into callbacks; stderr goes to the job's worker.log. Kill ends it (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PYTHON = '/usr/bin/python3';
export const WORKER_SCRIPT = fileURLToPath(new URL('./worker/train.py', import.meta.url));
/** PyTorch's launcher (torchrun) with its repair for Debian's torch on Python 3.11. */
export const TORCHRUN_SCRIPT = fileURLToPath(new URL('./worker/torchrun.py', import.meta.url));

export interface WorkerEvent {
	event: string;
	[field: string]: unknown;
}

export interface WorkerExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	/** Set when the interpreter could not be started at all. */
	spawnError?: string;
}

export interface WorkerHandle {
	exited: Promise<WorkerExit>;
	kill(): void;
}

export interface WorkerOptions {
	python: string;
	jobDir: string;
	threads: number;
	/** Processes under torchrun on this host (1: the worker alone). */
	ranks: number;
	/** torch.distributed's backend when ranks > 1 (default: gloo on CPU, NCCL on CUDA). */
	backend?: string;
	onEvent(event: WorkerEvent): void;
}

/** The step of the newest complete checkpoint the worker left in a job folder (0 when none): it resumes there. */
export function lastCheckpointStep(jobDir: string): number {
	const steps = readdirSync(jobDir).flatMap((file) => {
		const match = /^checkpoint-(\d+)\.pt$/.exec(file);
		return match ? [Number(match[1])] : [];
	});
	return Math.max(0, ...steps);
}

/** The interpreter to run the worker with: the explicit option, else $EXPERT_PYTHON, else /usr/bin/python3. */
export function workerPython(explicit?: string): string {
	return explicit ?? process.env.EXPERT_PYTHON ?? DEFAULT_PYTHON;
}

export function spawnTrainingWorker(options: WorkerOptions): WorkerHandle {
	const log = createWriteStream(path.join(options.jobDir, 'worker.log'), { flags: 'a' });
	const train = [WORKER_SCRIPT, '--job-dir', options.jobDir];
	const args =
		options.ranks > 1 ? [TORCHRUN_SCRIPT, '--standalone', `--nproc_per_node=${options.ranks}`, ...train] : train;
	// Its own process group, so a kill reaches torchrun's every rank and leaves none behind.
	const child = spawn(options.python, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: options.ranks > 1,
		env: {
			...process.env,
			PYTHONUNBUFFERED: '1',
			OMP_NUM_THREADS: String(options.threads),
			...(options.backend ? { EXPERT_DIST_BACKEND: options.backend } : {})
		}
	});
	child.stderr.pipe(log);
	createInterface({ input: child.stdout }).on('line', (line) => {
		let parsed: unknown;
		try {
			parsed = JSON.parse(line);
		} catch {
			log.write(`[stdout] ${line}\n`);
			return;
		}
		if (typeof parsed === 'object' && parsed !== null && typeof (parsed as WorkerEvent).event === 'string')
			options.onEvent(parsed as WorkerEvent);
	});
	const exited = new Promise<WorkerExit>((resolve) => {
		child.once('error', (error) =>
			resolve({ code: null, signal: null, spawnError: `cannot start ${options.python}: ${error.message}` })
		);
		child.once('close', (code, signal) => resolve({ code, signal }));
	}).finally(() => log.end());
	let killTimer: NodeJS.Timeout | undefined;
	return {
		exited: exited.finally(() => clearTimeout(killTimer)),
		kill() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const signal = (name: NodeJS.Signals) => {
				try {
					if (options.ranks > 1 && child.pid !== undefined) process.kill(-child.pid, name);
					else child.kill(name);
				} catch {
					// the process group is gone already
				}
			};
			signal('SIGTERM');
			killTimer = setTimeout(() => signal('SIGKILL'), 5000);
			killTimer.unref();
		}
	};
}
