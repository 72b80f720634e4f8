// An incremental Server-Sent Events parser (the text/event-stream format): feed it decoded chunks as they
// arrive; it calls back once per complete event with its id, type and data. Comments are ignored.

export interface ServerSentEvent {
	id: string | null;
	type: string;
	data: string;
}

export function createSseParser(onEvent: (event: ServerSentEvent) => void): { push(chunk: string): void } {
	let buffer = '';
	let id: string | null = null;
	let type = '';
	let data: string[] = [];
	const dispatch = () => {
		if (data.length > 0) onEvent({ id, type: type || 'message', data: data.join('\n') });
		type = '';
		data = [];
	};
	const line = (text: string) => {
		if (text === '') return dispatch();
		if (text.startsWith(':')) return;
		const colon = text.indexOf(':');
		const field = colon === -1 ? text : text.slice(0, colon);
		const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
		if (field === 'data') data.push(value);
		else if (field === 'event') type = value;
		else if (field === 'id') id = value;
	};
	return {
		push(chunk: string) {
			buffer += chunk;
			const lines = buffer.split(/\r\n|\r|\n/);
			buffer = lines.pop() ?? '';
			for (const text of lines) line(text);
		}
	};
}
