// Reads HTTP response bodies chunk by chunk so long downloads (model weights) can report progress: bytes
// received and, when every server sent Content-Length, the total. Browser and Node (fetch streams).

export interface DownloadProgress {
	loaded: number;
	/** null while any response's size is unknown (no Content-Length yet, or a compressed body). */
	total: number | null;
}

/** Counts bytes over several parallel downloads and calls `report` after each chunk. */
export class DownloadTracker {
	private loaded = 0;
	private readonly sizes: Array<number | null> = [];

	constructor(private readonly report: (progress: DownloadProgress) => void) {}

	/** The whole body of `response`, counted as it arrives. */
	async read(response: Response): Promise<Uint8Array> {
		const slot = this.sizes.push(null) - 1;
		const length = Number(response.headers.get('content-length'));
		const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
		const expected = Number.isSafeInteger(length) && length > 0 && !encoded ? length : null;
		this.sizes[slot] = expected;
		if (!response.body) {
			const whole = new Uint8Array(await response.arrayBuffer());
			this.sizes[slot] = whole.length;
			return this.count(whole);
		}
		const chunks: Uint8Array[] = [];
		let size = 0;
		const reader = response.body.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
			size += value.length;
			this.count(value);
		}
		if (expected !== null && size !== expected) this.sizes[slot] = size;
		return concatenate(chunks, size);
	}

	private count(bytes: Uint8Array): Uint8Array {
		this.loaded += bytes.length;
		const total = this.sizes.every((s) => s !== null)
			? this.sizes.reduce<number>((sum, s) => sum + (s as number), 0)
			: null;
		this.report({ loaded: this.loaded, total: total === null ? null : Math.max(total, this.loaded) });
		return bytes;
	}
}

function concatenate(chunks: Uint8Array[], size: number): Uint8Array {
	if (chunks.length === 1) return chunks[0];
	const out = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	return out;
}
