// Server-Sent Events for one job: replays its stored events after the client's Last-Event-ID, then
// forwards live ones until the job reaches done, failed or cancelled.
import type { ServerResponse } from 'node:http';
import type { JobRunner } from './job-runner.ts';
import { TERMINAL_EVENTS } from './job-runner.ts';
import type { JobStore, StoredEvent } from './job-store.ts';

const HEARTBEAT_MS = 15_000;

function formatEvent(event: StoredEvent): string {
	return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** Writes the stream on an already-hijacked response; `headers` are those hooks set (CORS). */
export function streamJobEvents(
	response: ServerResponse,
	headers: Record<string, string>,
	jobId: string,
	afterSeq: number,
	store: JobStore,
	runner: JobRunner
): void {
	response.writeHead(200, {
		...headers,
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive'
	});
	let lastSeq = afterSeq;
	let ended = false;
	const send = (event: StoredEvent) => {
		if (ended || event.seq <= lastSeq) return;
		lastSeq = event.seq;
		response.write(formatEvent(event));
		if (TERMINAL_EVENTS.has(event.type)) end();
	};
	const onEvent = (id: string, event: StoredEvent) => {
		if (id === jobId) send(event);
	};
	const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
	const end = () => {
		if (ended) return;
		ended = true;
		clearInterval(heartbeat);
		runner.off('event', onEvent);
		response.end();
	};
	runner.on('event', onEvent);
	response.on('close', end);
	for (const event of store.eventsAfter(jobId, afterSeq)) send(event);
	const status = store.get(jobId)?.status;
	if (status && TERMINAL_EVENTS.has(status)) end(); // finished before this client caught up
}
