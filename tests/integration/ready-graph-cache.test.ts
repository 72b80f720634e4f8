// The embedded base's ready-to-run graph kept between visits (src/lib/worker/ready-graph-cache.ts) with the real
// URL loader over a loopback server, a real CacheStore on fake-indexeddb and onnxruntime-node: the first load
// builds and stores the graph; a later load of the same build fetches no weights and gives the same logits; another
// build, another precision or a tampered entry builds again; a store that cannot hold it never fails the load.
import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openDB } from 'idb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/lib/runtime/host-fs.ts';
import { loadModelFromUrl } from '../../src/lib/runtime/load-web.ts';
import { readyGraphCache } from '../../src/lib/worker/ready-graph-cache.ts';
import { CacheStore } from '../../src/lib/worker/store.ts';

const MODEL_DIR = path.resolve(import.meta.dirname, '../../static/models/expert-base-tiny');
const requests: string[] = [];
let server: Server;
let modelUrl: string;
let dbCounter = 0;

beforeAll(async () => {
	server = createServer((request, response) => {
		const name = path.basename(request.url ?? '');
		requests.push(name);
		readFile(path.join(MODEL_DIR, name)).then(
			(body) => response.writeHead(200, { 'content-length': String(body.length) }).end(body),
			() => response.writeHead(404).end()
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	modelUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/expert-base-tiny`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Loads the base over HTTP with `cache`, waits for the graph to be stored, and returns the last position's logits. */
async function load(store: CacheStore, build: string, precision: 'fp32' | 'q4' = 'fp32') {
	requests.length = 0;
	const cache = readyGraphCache(store, 'expert-base-tiny', precision, build);
	let written: Promise<void> = Promise.resolve();
	const model = await loadModelFromUrl(createNodeHost({ threads: 1 }), modelUrl, {
		precision,
		readyGraph: { read: cache.read, write: (graph) => (written = cache.write(graph)) }
	});
	await written;
	const ids = model.tokenizer.encode('fn main() { println!("hi"); }');
	const { logits } = await model.runtime.forward(ids, model.runtime.emptyCache());
	return {
		graphCached: model.graphCached,
		weightsFetched: requests.includes('model.safetensors'),
		logits: logits.slice(logits.length - model.runtime.config.vocabSize)
	};
}

describe('readyGraphCache', () => {
	it('builds and stores the graph once; a later load of the same build reads it, fetches no weights and answers the same', async () => {
		const store = await CacheStore.open({ dbName: `ready-graph-${++dbCounter}` });
		const first = await load(store, 'build-1');
		expect(first).toMatchObject({ graphCached: false, weightsFetched: true });
		expect((await store.list('model')).map((entry) => [entry.key, entry.info])).toEqual([
			['expert-base-tiny (fp32, ready to run)', { build: 'build-1', precision: 'fp32' }]
		]);
		const second = await load(store, 'build-1');
		expect(second).toMatchObject({ graphCached: true, weightsFetched: false });
		expect(second.logits).toEqual(first.logits);
		store.close();
	});

	it('builds again for another build or precision, and replaces a tampered entry instead of failing', async () => {
		const dbName = `ready-graph-${++dbCounter}`;
		const store = await CacheStore.open({ dbName });
		await load(store, 'build-1');
		expect(await load(store, 'build-2')).toMatchObject({ graphCached: false, weightsFetched: true });
		expect((await store.list('model'))[0].info.build).toBe('build-2');
		expect(await load(store, 'build-2', 'q4')).toMatchObject({ graphCached: false, weightsFetched: true });
		expect((await store.list('model')).map((entry) => entry.key)).toEqual([
			'expert-base-tiny (fp32, ready to run)',
			'expert-base-tiny (q4, ready to run)'
		]);

		const db = await openDB(dbName);
		const id = 'model:expert-base-tiny (fp32, ready to run)';
		const stored = await db.get('files', id);
		stored.files['model.onnx'][1000] ^= 0xff;
		await db.put('files', stored);
		db.close();
		expect(await load(store, 'build-2')).toMatchObject({ graphCached: false, weightsFetched: true });
		expect(await load(store, 'build-2')).toMatchObject({ graphCached: true, weightsFetched: false });
		store.close();
	});

	it('loads the model when the store cannot hold the graph', async () => {
		const store = await CacheStore.open({ dbName: `ready-graph-${++dbCounter}`, maxBytes: 1024 });
		expect(await load(store, 'build-1')).toMatchObject({ graphCached: false, weightsFetched: true });
		expect(await store.list('model')).toEqual([]);
		expect(await load(store, 'build-1')).toMatchObject({ graphCached: false });
		store.close();
	});
});
