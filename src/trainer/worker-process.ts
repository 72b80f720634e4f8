// Spawns the Python training worker for one job dir, alone or as torchrun's ranks on this node, and turns its
// stdout (one JSON event per line) into callbacks; stderr goes to the job's worker.log and its tail comes back at
// exit. Kill ends it and every rank (SIGTERM, then SIGKILL).
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
	/** The last lines the worker (and torchrun) wrote to stderr. */
	logTail: string;
}

export interface WorkerHandle {
	exited: Promise<WorkerExit>;
	kill(): void;
}

export interface WorkerNodes {
	count: number;
	rank: number;
	master_addr: string;
	master_port: number;
}

/** How much of the worker's stderr is kept in memory for the failure message. */
const LOG_TAIL_CHARS = 64 * 1024;

/** torchrun's arguments for this node: standalone on one host, a static rendezvous across several. */
function torchrunArguments(ranks: number, nodes: WorkerNodes | undefined): string[] {
	const perNode = `--nproc_per_node=${ranks}`;
	if (!nodes) return ['--standalone', perNode];
	return [
		`--nnodes=${nodes.count}`,
		`--node_rank=${nodes.rank}`,
		`--master_addr=${nodes.master_addr}`,
		`--master_port=${nodes.master_port}`,
		perNode
	];
}

export interface WorkerOptions {
	python: string;
	jobDir: string;
	threads: number;
	/** Processes under torchrun on this host (1: the worker alone). */
	ranks: number;
	/** torch.distributed's backend when ranks > 1 (default: gloo on CPU, NCCL on CUDA). */
	backend?: string;
	/** One node of several (static rendezvous at the first node's address and port); absent: this host alone. */
	nodes?: WorkerNodes;
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
	const launched = options.ranks > 1 || options.nodes !== undefined;
	const args = launched ? [TORCHRUN_SCRIPT, ...torchrunArguments(options.ranks, options.nodes), ...train] : train;
	// Its own process group, so a kill reaches torchrun's every rank and leaves none behind.
	const child = spawn(options.python, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: launched,
		env: {
			...process.env,
			PYTHONUNBUFFERED: '1',
			OMP_NUM_THREADS: String(options.threads),
			...(options.backend ? { EXPERT_DIST_BACKEND: options.backend } : {})
		}
	});
	child.stderr.pipe(log);
	let logTail = '';
	child.stderr.on('data', (chunk: Buffer) => (logTail = (logTail + chunk.toString()).slice(-LOG_TAIL_CHARS)));
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
			resolve({ code: null, signal: null, spawnError: `cannot start ${options.python}: ${error.message}`, logTail })
		);
		child.once('close', (code, signal) => resolve({ code, signal, logTail }));
	}).finally(() => log.end());
	let killTimer: NodeJS.Timeout | undefined;
	return {
		exited: exited.finally(() => clearTimeout(killTimer)),
		kill() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const signal = (name: NodeJS.Signals) => {
				try {
					if (launched && child.pid !== undefined) process.kill(-child.pid, name);
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
