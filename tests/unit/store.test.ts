// The IndexedDB cache on fake-indexeddb (a full in-memory implementation of the spec): round trips,
// versions side by side, sha-256 checks on load, LRU eviction under a cap and under the quota, atomicity.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { chooseEvictions } from '../../src/lib/worker/cache-eviction.ts';
import { hashFiles } from '../../src/lib/worker/content-hash.ts';
import { CacheStore, cacheEntryId, type StorageEstimator } from '../../src/lib/worker/store.ts';

let dbCounter = 0;
const freshName = () => `test-cache-${++dbCounter}`;
const bytes = (size: number, fill: number) => new Uint8Array(size).fill(fill);

/** A clock the test advances, so "least recently used" is deterministic. */
function clock() {
	let time = 1000;
	return () => ++time;
}

describe('CacheStore', () => {
	it('keeps versions side by side and returns the stored bytes', async () => {
		const store = await CacheStore.open({ dbName: freshName(), now: clock() });
		await store.put('expert', 'python@1.0.0', { 'manifest.json': bytes(10, 1) }, { name: 'python' });
		await store.put('expert', 'python@1.1.0', { 'manifest.json': bytes(12, 2) }, { name: 'python' });
		await store.put('model', 'embedded', { 'config.json': bytes(5, 3) });
		expect((await store.list('expert')).map((entry) => entry.key)).toEqual(['python@1.0.0', 'python@1.1.0']);
		const { entry, files } = await store.get('expert', 'python@1.1.0');
		expect(files['manifest.json']).toEqual(bytes(12, 2));
		expect(entry.sha256).toBe(await hashFiles({ 'manifest.json': bytes(12, 2) }));
		expect(await store.usage()).toMatchObject({ entries: 3, bytes: 27 });
		expect(await store.remove('expert', 'python@1.0.0')).toBe(true);
		expect(await store.remove('expert', 'python@1.0.0')).toBe(false);
		await expect(store.get('expert', 'python@1.0.0')).rejects.toThrow('expert python@1.0.0 is not in the cache');
		store.close();
	});

	it('detects a tampered or partial entry on load, removes it and says so', async () => {
		const dbName = freshName();
		const store = await CacheStore.open({ dbName });
		await store.put('expert', 'a@1.0.0', { 'adapter_model.safetensors': bytes(64, 7) });
		await store.put('expert', 'b@1.0.0', { 'adapter_model.safetensors': bytes(64, 8) });
		const raw = await openDB(dbName);
		const damaged = bytes(64, 7);
		damaged[30] = 0;
		await raw.put('files', { id: cacheEntryId('expert', 'a@1.0.0'), files: { 'adapter_model.safetensors': damaged } });
		await raw.delete('files', cacheEntryId('expert', 'b@1.0.0'));
		raw.close();
		await expect(store.get('expert', 'a@1.0.0')).rejects.toThrow(
			'cached expert a@1.0.0 failed its sha-256 check and was removed'
		);
		await expect(store.get('expert', 'b@1.0.0')).rejects.toThrow('failed its sha-256 check');
		expect(await store.list()).toEqual([]);
		store.close();
	});

	it('evicts the least recently used entries under a size cap and refuses what can never fit', async () => {
		const store = await CacheStore.open({ dbName: freshName(), maxBytes: 300, now: clock() });
		await store.put('expert', 'a@1.0.0', { w: bytes(100, 1) });
		await store.put('expert', 'b@1.0.0', { w: bytes(100, 2) });
		await store.put('model', 'c', { w: bytes(100, 3) });
		await store.get('expert', 'a@1.0.0');
		await store.put('expert', 'd@1.0.0', { w: bytes(100, 4) });
		expect((await store.list()).map((entry) => entry.key)).toEqual(['a@1.0.0', 'c', 'd@1.0.0']);
		await expect(store.put('expert', 'huge@1.0.0', { w: bytes(301, 5) })).rejects.toThrow(
			'huge@1.0.0 needs 301 B but the browser storage cannot hold it even after evicting every cached entry'
		);
		expect((await store.list()).map((entry) => entry.key)).toEqual(['a@1.0.0', 'c', 'd@1.0.0']);
		store.close();
	});

	it('evicts to stay under the quota that navigator.storage.estimate reports', async () => {
		let stored = 0;
		const storage: StorageEstimator = { estimate: async () => ({ quota: 1000, usage: 500 + stored }) };
		const store = await CacheStore.open({ dbName: freshName(), storage, now: clock() });
		const track = async (key: string, size: number) => {
			await store.put('expert', key, { w: bytes(size, 9) });
			stored = (await store.list()).reduce((sum, entry) => sum + entry.bytes, 0);
		};
		await track('a@1.0.0', 200);
		await track('b@1.0.0', 200);
		await track('c@1.0.0', 200);
		expect((await store.list()).map((entry) => entry.key)).toEqual(['b@1.0.0', 'c@1.0.0']);
		expect(await store.usage()).toMatchObject({
			entries: 2,
			bytes: 400,
			quota: 1000,
			originUsage: 900,
			persisted: null
		});
		store.close();
	});
});

describe('content hash and eviction choice', () => {
	it('changes when a byte, a name or a file boundary changes', async () => {
		const base = await hashFiles({ a: new Uint8Array([1, 2]), b: new Uint8Array([3]) });
		expect(base).toMatch(/^[0-9a-f]{64}$/);
		expect(await hashFiles({ b: new Uint8Array([3]), a: new Uint8Array([1, 2]) })).toBe(base);
		expect(await hashFiles({ a: new Uint8Array([1, 2]), b: new Uint8Array([4]) })).not.toBe(base);
		expect(await hashFiles({ a: new Uint8Array([1]), b: new Uint8Array([2, 3]) })).not.toBe(base);
		expect(await hashFiles({ a: new Uint8Array([1, 2]), c: new Uint8Array([3]) })).not.toBe(base);
	});

	it('picks the oldest entries first and only as many as needed', () => {
		const candidates = [
			{ id: 'new', bytes: 50, lastUsed: 30 },
			{ id: 'old', bytes: 10, lastUsed: 10 },
			{ id: 'mid', bytes: 40, lastUsed: 20 }
		];
		expect(chooseEvictions(candidates, 20, 30)).toEqual([]);
		expect(chooseEvictions(candidates, 45, 30)).toEqual(['old', 'mid']);
		expect(chooseEvictions(candidates, 200, 30)).toBeNull();
	});
});
