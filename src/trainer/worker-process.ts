// Spawns the Python training worker for one job dir and turns its stdout (one JSON event per line)
// into callbacks; stderr goes to the job's worker.log. Kill ends it (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { createWriteStream, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PYTHON = '/usr/bin/python3';
export const WORKER_SCRIPT = fileURLToPath(new URL('./worker/train.py', import.meta.url));

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
	const child = spawn(options.python, [WORKER_SCRIPT, '--job-dir', options.jobDir], {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, PYTHONUNBUFFERED: '1', OMP_NUM_THREADS: String(options.threads) }
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
			child.kill('SIGTERM');
			killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
			killTimer.unref();
		}
	};
}
