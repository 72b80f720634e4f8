// Runs the base-model Python scripts of the training worker: pre-training (pretrain.py, JSON events on
// stdout) and held-out loss (lm_eval.py, one JSON line). Failures become one-line ExpertErrors.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ExpertError } from '../lib/errors.ts';
import { TORCHRUN_SCRIPT, workerPython, type WorkerEvent } from './worker-process.ts';

const PRETRAIN_SCRIPT = fileURLToPath(new URL('./worker/pretrain.py', import.meta.url));
const LM_EVAL_SCRIPT = fileURLToPath(new URL('./worker/lm_eval.py', import.meta.url));

export interface PretrainOptions {
	modelDir: string;
	tokensPath: string;
	runDir: string;
	minutes: number;
	threads: number;
	batchSize: number;
	seqLen: number;
	lr: number;
	warmupSteps: number;
	/** Stop after this many steps in total even if time is left (0 or absent: only the time budget). */
	maxSteps?: number;
	/** Processes under torchrun on this host (each with `threads` threads; one per GPU on CUDA); 1 or absent: alone. */
	nproc?: number;
	/** stderr of the worker is appended here. */
	logPath: string;
	python?: string;
}

export interface HeldoutLoss {
	loss: number;
	perplexity: number;
	tokens: number;
	seq_len: number;
}

/** Runs `script` with `args`; every JSON line on stdout goes to `onLine`. Resolves with the exit code. */
function runPython(
	script: string,
	args: string[],
	options: { python?: string; threads: number; logPath?: string; onLine(value: Record<string, unknown>): void }
): Promise<number> {
	const python = workerPython(options.python);
	return new Promise((resolve, reject) => {
		const child = spawn(python, [script, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: {
				...process.env,
				PYTHONUNBUFFERED: '1',
				OMP_NUM_THREADS: String(options.threads),
				OPENBLAS_NUM_THREADS: String(options.threads)
			}
		});
		const stderr: string[] = [];
		const log = options.logPath ? createWriteStream(options.logPath, { flags: 'a' }) : null;
		child.stderr.on('data', (chunk: Buffer) => {
			log?.write(chunk);
			stderr.push(chunk.toString());
		});
		createInterface({ input: child.stdout }).on('line', (line) => {
			try {
				const parsed: unknown = JSON.parse(line);
				if (typeof parsed === 'object' && parsed !== null) options.onLine(parsed as Record<string, unknown>);
			} catch {
				log?.write(`[stdout] ${line}\n`);
			}
		});
		child.once('error', (error) =>
			reject(
				new ExpertError(
					'python-unavailable',
					`cannot start ${python}: ${error.message} (set EXPERT_PYTHON to an interpreter with torch)`
				)
			)
		);
		child.once('close', (code) => {
			log?.end();
			if (code !== 0 && stderr.join('').includes('ModuleNotFoundError')) {
				reject(
					new ExpertError(
						'python-unavailable',
						`${python} cannot import torch/numpy (set EXPERT_PYTHON to an interpreter that can)`
					)
				);
			} else resolve(code ?? 1);
		});
	});
}

/** Pre-trains (or resumes) in `runDir`; resolves with the final `done` event. */
export async function runPretrain(
	options: PretrainOptions,
	onEvent: (event: WorkerEvent) => void
): Promise<WorkerEvent> {
	const args = [
		['--model-dir', options.modelDir],
		['--tokens', options.tokensPath],
		['--run-dir', options.runDir],
		['--minutes', String(options.minutes)],
		['--threads', String(options.threads)],
		['--batch-size', String(options.batchSize)],
		['--seq-len', String(options.seqLen)],
		['--lr', String(options.lr)],
		['--warmup-steps', String(options.warmupSteps)],
		['--max-steps', String(options.maxSteps ?? 0)]
	].flat();
	let done: WorkerEvent | null = null;
	let failure = '';
	const ranks = options.nproc ?? 1;
	const launched = ranks > 1 ? [TORCHRUN_SCRIPT, '--standalone', `--nproc_per_node=${ranks}`] : [];
	const [script, ...rest] = [...launched, PRETRAIN_SCRIPT, ...args];
	const code = await runPython(script, rest, {
		python: options.python,
		threads: options.threads,
		logPath: options.logPath,
		onLine: (value) => {
			const event = value as WorkerEvent;
			if (event.event === 'done') done = event;
			if (event.event === 'failed') failure = String(event.message);
			onEvent(event);
		}
	});
	if (code !== 0 || !done)
		throw new ExpertError(
			'pretrain-failed',
			`pre-training failed: ${failure || `exit code ${code}, see ${options.logPath}`}`
		);
	return done;
}

/** Mean next-token loss of the model folder on a token file (uint16 .bin or a .json id list). */
export async function measureHeldoutLoss(
	modelDir: string,
	tokensPath: string,
	options: { seqLen: number; maxWindows: number; threads: number; python?: string }
): Promise<HeldoutLoss> {
	let result: Record<string, unknown> = {};
	const args = [
		'--model-dir',
		modelDir,
		'--tokens',
		tokensPath,
		'--seq-len',
		String(options.seqLen),
		'--max-windows',
		String(options.maxWindows),
		'--threads',
		String(options.threads)
	];
	const code = await runPython(LM_EVAL_SCRIPT, args, {
		python: options.python,
		threads: options.threads,
		onLine: (value) => (result = value)
	});
	if (code !== 0 || typeof result.loss !== 'number')
		throw new ExpertError(
			'eval-failed',
			`held-out evaluation of ${modelDir} failed: ${String(result.error ?? `exit code ${code}`)}`
		);
	return result as unknown as HeldoutLoss;
}
