// Runs queued jobs one at a time (one worker: alone, or torchrun's ranks on this node): spawns it, records its
// events in the store and announces them to listeners (SSE), finishes the package or says which rank failed, and
// handles cancellation.
import { EventEmitter } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describeError } from '../lib/errors.ts';
import { buildArtifact } from './artifact.ts';
import type { DataDirLayout } from './data-dir.ts';
import type { JobStore, StoredEvent } from './job-store.ts';
import { rankFailureReason, type RankFailure } from './rank-failure.ts';
import { spawnTrainingWorker, type WorkerEvent, type WorkerHandle, type WorkerNodes } from './worker-process.ts';

export const TERMINAL_EVENTS = new Set(['done', 'failed', 'cancelled']);

export interface RunnerOptions {
	python: string;
	threads: number;
}

interface RunningJob {
	id: string;
	worker: WorkerHandle;
	cancelRequested: boolean;
}

export class JobRunner extends EventEmitter<{ event: [jobId: string, event: StoredEvent]; idle: [] }> {
	private running: RunningJob | null = null;
	private stopped = false;

	constructor(
		private readonly store: JobStore,
		private readonly layout: DataDirLayout,
		private readonly options: RunnerOptions
	) {
		super();
		this.setMaxListeners(0); // one listener per open SSE stream
	}

	/**
	 * Records an event for a job and tells listeners. A resumed job re-runs the steps after its last checkpoint:
	 * their step and eval events were recorded the first time, so they are not recorded again (null).
	 */
	record(jobId: string, type: string, data: Record<string, unknown>): StoredEvent | null {
		if ((type === 'step' || type === 'eval') && Number(data.step) <= this.store.lastStep(jobId, type)) return null;
		const stored = this.store.appendEvent(jobId, type, data);
		this.emit('event', jobId, stored);
		return stored;
	}

	get runningJobId(): string | null {
		return this.running?.id ?? null;
	}

	/** Starts the next queued job if nothing runs. */
	kick(): void {
		if (this.running || this.stopped) return;
		const job = this.store.nextQueued();
		if (!job) {
			this.emit('idle');
			return;
		}
		this.store.markRunning(job.id);
		const jobDir = path.join(this.layout.jobs, job.id);
		let workerDone: WorkerEvent | null = null;
		const failures: RankFailure[] = [];
		// The prepared job says how many processes train it and the threads of each (job-preparation.ts).
		const prepared = JSON.parse(readFileSync(path.join(jobDir, 'job.json'), 'utf8')) as {
			ranks?: number;
			threads?: number;
			backend?: string;
			nodes?: WorkerNodes;
		};
		const worker = spawnTrainingWorker({
			python: this.options.python,
			jobDir,
			threads: prepared.threads ?? this.options.threads,
			ranks: prepared.ranks ?? 1,
			backend: prepared.backend,
			nodes: prepared.nodes,
			onEvent: ({ event, ...fields }) => {
				if (event === 'done') workerDone = { event, ...fields };
				else if (event === 'failed')
					failures.push({
						message: String(fields.message ?? 'training failed'),
						...(typeof fields.rank === 'number' ? { rank: fields.rank } : {}),
						...(fields.peer_lost === true ? { peer_lost: true } : {})
					});
				else this.record(job.id, event, fields);
			}
		});
		const running: RunningJob = { id: job.id, worker, cancelRequested: false };
		this.running = running;
		void worker.exited.then(async (exit) => {
			if (this.stopped) return; // service shutting down: the job stays `running` and resumes on restart
			if (running.cancelRequested) {
				this.finish(job.id, 'cancelled', {});
				rmSync(jobDir, { recursive: true, force: true }); // nothing in it is of use any more; the events stay in the store
			} else if (workerDone) await this.complete(job.id, jobDir, workerDone);
			else {
				const reason =
					exit.spawnError ??
					rankFailureReason(failures, exit.logTail) ??
					`worker exited with ${exit.signal ?? `code ${exit.code}`} (its log is jobs/${job.id}/worker.log in the trainer's data dir)`;
				this.finish(job.id, 'failed', { error: reason });
			}
			this.running = null;
			this.kick();
		});
	}

	private async complete(jobId: string, jobDir: string, done: WorkerEvent): Promise<void> {
		const { event: _event, ...metrics } = done;
		try {
			const packageName = await buildArtifact(jobDir, this.layout, metrics);
			this.finish(jobId, 'done', { result: { ...metrics, package: packageName } });
		} catch (error) {
			this.finish(jobId, 'failed', { error: `packaging the trained adapter failed: ${describeError(error)}` });
		}
	}

	private finish(
		jobId: string,
		status: 'done' | 'failed' | 'cancelled',
		details: { error?: string; result?: Record<string, unknown> }
	): void {
		this.store.finish(jobId, status, details);
		this.record(jobId, status, details.error ? { message: details.error } : (details.result ?? {}));
	}

	/** Cancels a queued or running job; returns false when the job had already finished. */
	cancel(jobId: string): boolean {
		const job = this.store.get(jobId);
		if (!job || !['queued', 'running'].includes(job.status)) return false;
		if (this.running?.id === jobId) {
			this.running.cancelRequested = true;
			this.running.worker.kill();
		} else {
			this.finish(jobId, 'cancelled', {});
			rmSync(path.join(this.layout.jobs, jobId), { recursive: true, force: true });
		}
		return true;
	}

	/** Stops the worker without finishing its job, so a restarted service resumes it from its checkpoint. */
	async stop(): Promise<void> {
		this.stopped = true;
		const running = this.running;
		if (!running) return;
		running.worker.kill();
		await running.worker.exited;
	}
}
