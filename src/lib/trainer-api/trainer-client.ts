// The one client of the trainer service's HTTP API, for the CLI and the browser: the job list, one job, job
// submission (typed from the request schema), cancel, the job's event stream from a given event on (fetch + SSE
// parser, so the bearer token can be sent) and the artifact's bytes; every failure becomes one sentence saying
// what to fix (unsafe port, trainer down, CORS origin, 401 token, 4xx field). Unpacking the artifact into a
// folder is Node's: artifact-unpack-fs.ts.
import { ExpertError } from '../errors.ts';
import { blockedPortProblem } from './bad-ports.ts';
import type { JobRequestInput } from './job-request.ts';
import { createSseParser } from './sse-parser.ts';

export interface TrainerConnection {
	url: string;
	token: string;
}

export interface TrainerEvent {
	seq: number;
	type: string;
	data: Record<string, unknown>;
}

export type TrainerJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A job as the trainer lists it (the fields the clients use). */
export interface TrainerJob {
	id: string;
	name: string;
	method: string;
	status: TrainerJobStatus;
	created_at: string;
	finished_at: string | null;
	resumes: number;
	error: string | null;
	result: Record<string, unknown> | null;
	request: { manifest?: { version?: string } };
}

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled']);

function endpoint(connection: TrainerConnection, path: string): string {
	let base: URL;
	try {
		base = new URL(connection.url);
	} catch {
		throw new ExpertError('bad-url', `"${connection.url}" is not a trainer URL (expected e.g. http://127.0.0.1:8787)`);
	}
	return new URL(path, base.href.endsWith('/') ? base.href : `${base.href}/`).href;
}

/** In a page, the trainer must allow its origin; in Node there is no origin to allow. */
const corsHint = () => (typeof location === 'undefined' ? '' : `, and started with --cors-origin ${location.origin}`);

async function request(connection: TrainerConnection, path: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	if (connection.token) headers.set('authorization', `Bearer ${connection.token}`);
	const url = endpoint(connection, path);
	const blocked = blockedPortProblem(url);
	if (blocked) throw new ExpertError('unsafe-port', blocked);
	const response = await fetch(url, { ...init, headers }).catch((error: unknown) => {
		if ((error as Error)?.name === 'AbortError') throw error;
		throw new ExpertError(
			'trainer-unreachable',
			`the trainer at ${connection.url} is not reachable: is it running${corsHint()}?`
		);
	});
	if (response.ok) return response;
	const text = await response.text();
	let message = text.trim().split('\n')[0] || response.statusText;
	try {
		message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
	} catch {
		// not the trainer's JSON error body: the raw text says what happened
	}
	if (response.status === 401)
		throw new ExpertError('trainer-unauthorized', `the trainer refused the token (401): ${message}: check the token`);
	throw new ExpertError('trainer-refused', `the trainer refused: ${message} (HTTP ${response.status})`);
}

/** Lists the trainer's jobs, oldest first: proves it is up, allows this origin and accepts the token. */
export async function listJobs(connection: TrainerConnection): Promise<TrainerJob[]> {
	return ((await (await request(connection, 'v1/jobs')).json()) as { jobs: TrainerJob[] }).jobs;
}

export async function getJob(connection: TrainerConnection, jobId: string): Promise<TrainerJob> {
	return ((await (await request(connection, `v1/jobs/${encodeURIComponent(jobId)}`)).json()) as { job: TrainerJob })
		.job;
}

/** Cancels a queued or running job (a running one ends with a `cancelled` event once its worker stops). */
export async function cancelJob(connection: TrainerConnection, jobId: string): Promise<TrainerJob> {
	const response = await request(connection, `v1/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' });
	return ((await response.json()) as { job: TrainerJob }).job;
}

export async function submitJob(connection: TrainerConnection, body: JobRequestInput): Promise<TrainerJob> {
	const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
	return ((await (await request(connection, 'v1/jobs', init)).json()) as { job: TrainerJob }).job;
}

/**
 * Streams the job's events after event `afterSeq` until it ends (done, failed, cancelled) and returns the last;
 * a dropped connection rejects (trainer-unreachable: the caller may reconnect from the last event it saw), as
 * does `signal` aborting.
 */
export async function followJob(
	connection: TrainerConnection,
	jobId: string,
	onEvent: (event: TrainerEvent) => void,
	signal?: AbortSignal,
	afterSeq = 0
): Promise<TrainerEvent | null> {
	const headers: Record<string, string> = { accept: 'text/event-stream' };
	if (afterSeq > 0) headers['last-event-id'] = String(afterSeq);
	const response = await request(connection, `v1/jobs/${encodeURIComponent(jobId)}/events`, { signal, headers });
	if (!response.body) throw new ExpertError('trainer-refused', 'the trainer sent no event stream');
	let last: TrainerEvent | null = null;
	const parser = createSseParser((event) => {
		last = { seq: Number(event.id ?? 0), type: event.type, data: JSON.parse(event.data) };
		onEvent(last);
	});
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	for (;;) {
		const { value, done } = await reader.read().catch((error: unknown) => {
			if ((error as Error)?.name === 'AbortError') throw error;
			throw new ExpertError(
				'trainer-unreachable',
				`lost the connection to the trainer at ${connection.url} while following job ${jobId}`
			);
		});
		if (done) return last;
		parser.push(value);
	}
}

export async function downloadArtifact(connection: TrainerConnection, jobId: string): Promise<Uint8Array> {
	const response = await request(connection, `v1/jobs/${encodeURIComponent(jobId)}/artifact`);
	return new Uint8Array(await response.arrayBuffer());
}

/** Whether an error means the trainer could not be reached at all (down, restarting), as opposed to a refusal. */
export function isUnreachable(error: unknown): boolean {
	return (
		(error instanceof ExpertError && error.code === 'trainer-unreachable') ||
		(error instanceof TypeError && /fetch|network/i.test(error.message))
	);
}
