// Download progress for model weights over a real loopback HTTP server: bytes counted chunk by chunk, the
// total known only once every parallel download has a Content-Length, compressed or unsized bodies unknown.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadTracker, type DownloadProgress } from '../../src/lib/runtime/download-progress.ts';

const BODY = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251);

let server: Server;
let origin: string;

beforeAll(async () => {
	server = createServer((request, response) => {
		if (request.url === '/sized') {
			response.writeHead(200, { 'content-length': String(BODY.length) });
			// Several writes, so the client sees several chunks.
			for (let offset = 0; offset < BODY.length; offset += 65_536)
				response.write(BODY.subarray(offset, offset + 65_536));
			response.end();
		} else if (request.url === '/chunked') {
			response.writeHead(200); // written in pieces, so Node sends it chunked, without Content-Length
			response.write(BODY.subarray(0, 500));
			response.end(BODY.subarray(500, 1000));
		} else if (request.url === '/gzip') {
			const packed = gzipSync(BODY);
			response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) });
			response.end(packed);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('DownloadTracker', () => {
	it('returns the exact body and reports growing byte counts up to the Content-Length total', async () => {
		const reports: DownloadProgress[] = [];
		const bytes = await new DownloadTracker((p) => reports.push(p)).read(await fetch(`${origin}/sized`));
		expect(bytes).toEqual(BODY);
		expect(reports.length).toBeGreaterThan(1);
		expect(reports.map((r) => r.loaded)).toEqual([...reports.map((r) => r.loaded)].sort((a, b) => a - b));
		expect(reports.every((r) => r.total === BODY.length)).toBe(true);
		expect(reports.at(-1)).toEqual({ loaded: BODY.length, total: BODY.length });
	});

	it('sums parallel downloads and leaves the total unknown while one has no size', async () => {
		const reports: DownloadProgress[] = [];
		const tracker = new DownloadTracker((p) => reports.push(p));
		const [sized, unsized] = await Promise.all([
			tracker.read(await fetch(`${origin}/sized`)),
			tracker.read(await fetch(`${origin}/chunked`))
		]);
		expect(sized.length + unsized.length).toBe(BODY.length + 1000);
		expect(reports.at(-1)).toEqual({ loaded: BODY.length + 1000, total: null });
	});

	it('does not trust a compressed body’s Content-Length as its size', async () => {
		const reports: DownloadProgress[] = [];
		const bytes = await new DownloadTracker((p) => reports.push(p)).read(await fetch(`${origin}/gzip`));
		expect(bytes).toEqual(BODY);
		expect(reports.every((r) => r.total === null)).toBe(true);
		expect(reports.at(-1)!.loaded).toBe(BODY.length);
	});
});
