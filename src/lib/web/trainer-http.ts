// The browser's client for the trainer service (issue 4 API): health check, job submission, the job's
// event stream (fetch + SSE parser, so the bearer token can be sent) and the artifact download; every
// failure becomes one sentence saying what to fix (trainer down, CORS origin, 401 token, 4xx field).
import { ExpertError } from '../errors.ts';
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

function endpoint(connection: TrainerConnection, path: string): string {
	let base: URL;
	try {
		base = new URL(connection.url);
	} catch {
		throw new ExpertError('bad_url', `"${connection.url}" is not a trainer URL (expected e.g. http://127.0.0.1:8787)`);
	}
	return new URL(path, base.href.endsWith('/') ? base.href : `${base.href}/`).href;
}

async function request(connection: TrainerConnection, path: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	if (connection.token) headers.set('authorization', `Bearer ${connection.token}`);
	const response = await fetch(endpoint(connection, path), { ...init, headers }).catch(() => {
		throw new ExpertError(
			'trainer_unreachable',
			`the trainer at ${connection.url} is not reachable: is it running, and started with --cors-origin ${location.origin}?`
		);
	});
	if (response.ok) return response;
	const message = await response
		.json()
		.then((body: { error?: { message?: string } }) => body.error?.message)
		.catch(() => undefined);
	if (response.status === 401) throw new ExpertError('trainer_unauthorized', `the trainer refused the token (401)${message ? `: ${message}` : ''}: check the token field`);
	throw new ExpertError('trainer_refused', `the trainer answered ${response.status}: ${message ?? response.statusText}`);
}

/** Lists the trainer's jobs: proves it is up, allows this origin and accepts the token. */
export async function checkTrainer(connection: TrainerConnection): Promise<{ jobs: number }> {
	const { jobs } = (await (await request(connection, 'v1/jobs')).json()) as { jobs: unknown[] };
	return { jobs: jobs.length };
}

export async function submitJob(connection: TrainerConnection, body: Record<string, unknown>): Promise<{ id: string; status: string }> {
	const response = await request(connection, 'v1/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return (await response.json()).job;
}

/** Streams the job's events until it ends (done, failed, cancelled) or `signal` aborts. */
export async function followJob(connection: TrainerConnection, jobId: string, onEvent: (event: TrainerEvent) => void, signal?: AbortSignal): Promise<void> {
	const response = await request(connection, `v1/jobs/${encodeURIComponent(jobId)}/events`, { signal, headers: { accept: 'text/event-stream' } });
	if (!response.body) throw new ExpertError('trainer_refused', 'the trainer sent no event stream');
	const parser = createSseParser((event) => onEvent({ seq: Number(event.id ?? 0), type: event.type, data: JSON.parse(event.data) }));
	const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
	for (;;) {
		const { value, done } = await reader.read();
		if (done) return;
		parser.push(value);
	}
}

export async function downloadArtifact(connection: TrainerConnection, jobId: string): Promise<Uint8Array> {
	return new Uint8Array(await (await request(connection, `v1/jobs/${encodeURIComponent(jobId)}/artifact`)).arrayBuffer());
}
