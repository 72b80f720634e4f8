// Persists trainer jobs and their event logs in a SQLite file in the data dir (better-sqlite3), so a
// restarted service keeps its queue and can resume a job that was running when it stopped.
import Database from 'better-sqlite3';
import type { JobRequest } from '../lib/trainer-api/job-request.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A job request as stored and shown: an uploaded dataset is kept as a file in the job folder, not here. */
export type StoredJobRequest = Omit<JobRequest, 'dataset'> & {
	dataset: { name: string; bytes: number } | { path: string };
};

export interface JobRecord {
	id: string;
	name: string;
	method: string;
	status: JobStatus;
	created_at: string;
	started_at: string | null;
	finished_at: string | null;
	/** How many times the job was interrupted by a service restart and put back in the queue. */
	resumes: number;
	request: StoredJobRequest;
	error: string | null;
	result: Record<string, unknown> | null;
}

export interface StoredEvent {
	seq: number;
	type: string;
	data: Record<string, unknown>;
}

interface JobRow extends Omit<JobRecord, 'request' | 'result'> {
	request: string;
	result: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
	id TEXT PRIMARY KEY,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	method TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at TEXT NOT NULL,
	started_at TEXT,
	finished_at TEXT,
	resumes INTEGER NOT NULL DEFAULT 0,
	request TEXT NOT NULL,
	error TEXT,
	result TEXT
);
CREATE TABLE IF NOT EXISTS events (
	job_id TEXT NOT NULL REFERENCES jobs(id),
	seq INTEGER NOT NULL,
	type TEXT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (job_id, seq)
);
`;

const COLUMNS = 'id, name, method, status, created_at, started_at, finished_at, resumes, request, error, result';

function toRecord(row: JobRow): JobRecord {
	return { ...row, request: JSON.parse(row.request), result: row.result === null ? null : JSON.parse(row.result) };
}

export class JobStore {
	private readonly db: Database.Database;

	constructor(file: string) {
		this.db = new Database(file);
		this.db.pragma('journal_mode = WAL');
		this.db.pragma('foreign_keys = ON');
		this.db.exec(SCHEMA);
	}

	close(): void {
		this.db.close();
	}

	insert(id: string, request: JobRequest): JobRecord {
		const dataset =
			'content' in request.dataset
				? { name: request.dataset.name, bytes: Buffer.byteLength(request.dataset.content) }
				: request.dataset;
		const position = (
			this.db.prepare('SELECT COALESCE(MAX(position), 0) + 1 AS next FROM jobs').get() as { next: number }
		).next;
		this.db
			.prepare(
				'INSERT INTO jobs (id, position, name, method, status, created_at, request) VALUES (?, ?, ?, ?, ?, ?, ?)'
			)
			.run(
				id,
				position,
				request.name,
				request.method,
				'queued',
				new Date().toISOString(),
				JSON.stringify({ ...request, dataset })
			);
		return this.get(id)!;
	}

	get(id: string): JobRecord | null {
		const row = this.db.prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
		return row ? toRecord(row) : null;
	}

	list(): JobRecord[] {
		return (this.db.prepare(`SELECT ${COLUMNS} FROM jobs ORDER BY position`).all() as JobRow[]).map(toRecord);
	}

	countQueued(): number {
		return (this.db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued'").get() as { n: number }).n;
	}

	nextQueued(): JobRecord | null {
		const row = this.db
			.prepare(`SELECT ${COLUMNS} FROM jobs WHERE status = 'queued' ORDER BY position LIMIT 1`)
			.get() as JobRow | undefined;
		return row ? toRecord(row) : null;
	}

	markRunning(id: string): void {
		this.db
			.prepare("UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?) WHERE id = ?")
			.run(new Date().toISOString(), id);
	}

	finish(
		id: string,
		status: 'done' | 'failed' | 'cancelled',
		details: { error?: string; result?: Record<string, unknown> } = {}
	): void {
		this.db
			.prepare('UPDATE jobs SET status = ?, finished_at = ?, error = ?, result = ? WHERE id = ?')
			.run(
				status,
				new Date().toISOString(),
				details.error ?? null,
				details.result ? JSON.stringify(details.result) : null,
				id
			);
	}

	/** Puts jobs that were running when the service stopped back in the queue; returns their ids. */
	requeueInterrupted(): string[] {
		const ids = (this.db.prepare("SELECT id FROM jobs WHERE status = 'running'").all() as { id: string }[]).map(
			(row) => row.id
		);
		this.db.prepare("UPDATE jobs SET status = 'queued', resumes = resumes + 1 WHERE status = 'running'").run();
		return ids;
	}

	appendEvent(jobId: string, type: string, data: Record<string, unknown>): StoredEvent {
		const seq = (
			this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM events WHERE job_id = ?').get(jobId) as {
				next: number;
			}
		).next;
		this.db
			.prepare('INSERT INTO events (job_id, seq, type, data) VALUES (?, ?, ?, ?)')
			.run(jobId, seq, type, JSON.stringify(data));
		return { seq, type, data };
	}

	/** The highest step among the job's events of `type` ("step", "eval"), 0 when none. */
	lastStep(jobId: string, type: string): number {
		const row = this.db
			.prepare("SELECT MAX(json_extract(data, '$.step')) AS step FROM events WHERE job_id = ? AND type = ?")
			.get(jobId, type) as { step: number | null };
		return row.step ?? 0;
	}

	eventsAfter(jobId: string, afterSeq: number): StoredEvent[] {
		const rows = this.db
			.prepare('SELECT seq, type, data FROM events WHERE job_id = ? AND seq > ? ORDER BY seq')
			.all(jobId, afterSeq) as {
			seq: number;
			type: string;
			data: string;
		}[];
		return rows.map((row) => ({ seq: row.seq, type: row.type, data: JSON.parse(row.data) }));
	}
}
