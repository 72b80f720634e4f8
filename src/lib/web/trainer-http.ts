// The browser's client for the trainer service (its HTTP API): the job list, job submission and cancel,
// the job's event stream from a given event on (fetch + SSE parser, so the bearer token can be sent) and
// the artifact download; every failure becomes one sentence saying what to fix (unsafe port, trainer down,
// CORS origin, 401 token, 4xx field).
import { ExpertError } from '../errors.ts';
import { blockedPortProblem } from './bad-ports.ts';
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

/** A job as GET /v1/jobs lists it (the fields the page uses). */
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
			`the trainer at ${connection.url} is not reachable: is it running, and started with --cors-origin ${location.origin}?`
		);
	});
	if (response.ok) return response;
	const message = await response
		.json()
		.then((body: { error?: { message?: string } }) => body.error?.message)
		.catch(() => undefined);
	if (response.status === 401)
		throw new ExpertError(
			'trainer-unauthorized',
			`the trainer refused the token (401)${message ? `: ${message}` : ''}: check the token field`
		);
	throw new ExpertError(
		'trainer-refused',
		`the trainer answered ${response.status}: ${message ?? response.statusText}`
	);
}

/** Whether an error means the trainer could not be reached at all (down, restarting), as opposed to a refusal. */
export function isUnreachable(error: unknown): boolean {
	return (
		(error as ExpertError)?.code === 'trainer-unreachable' ||
		(error instanceof TypeError && /fetch|network/i.test(error.message))
	);
}

/** Lists the trainer's jobs, oldest first: proves it is up, allows this origin and accepts the token. */
export async function listJobs(connection: TrainerConnection): Promise<TrainerJob[]> {
	return ((await (await request(connection, 'v1/jobs')).json()) as { jobs: TrainerJob[] }).jobs;
}

/** Cancels a queued or running job (a running one ends with a `cancelled` event once its worker stops). */
export async function cancelJob(connection: TrainerConnection, jobId: string): Promise<TrainerJob> {
	return (
		(await (await request(connection, `v1/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' })).json()) as {
			job: TrainerJob;
		}
	).job;
}

export async function submitJob(
	connection: TrainerConnection,
	body: Record<string, unknown>
): Promise<{ id: string; status: string }> {
	const response = await request(connection, 'v1/jobs', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	return (await response.json()).job;
}

/**
 * Streams the job's events after event `afterSeq` until it ends (done, failed, cancelled), the connection
 * drops (a network TypeError: the caller reconnects from the last event it saw) or `signal` aborts.
 */
export async function followJob(
	connection: TrainerConnection,
	jobId: string,
	onEvent: (event: TrainerEvent) => void,
	signal?: AbortSignal,
	afterSeq = 0
): Promise<void> {
	const headers: Record<string, string> = { accept: 'text/event-stream' };
	if (afterSeq > 0) headers['last-event-id'] = String(afterSeq);
	const response = await request(connection, `v1/jobs/${encodeURIComponent(jobId)}/events`, { signal, headers });
	if (!response.body) throw new ExpertError('trainer-refused', 'the trainer sent no event stream');
	const parser = createSseParser((event) =>
		onEvent({ seq: Number(event.id ?? 0), type: event.type, data: JSON.parse(event.data) })
	);
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	for (;;) {
		const { value, done } = await reader.read();
		if (done) return;
		parser.push(value);
	}
}

export async function downloadArtifact(connection: TrainerConnection, jobId: string): Promise<Uint8Array> {
	return new Uint8Array(
		await (await request(connection, `v1/jobs/${encodeURIComponent(jobId)}/artifact`)).arrayBuffer()
	);
}
