// The IndexedDB cache (through idb) for expert packages, built base models and named expert sets (tuned on
// the Compare page; stored-sets.ts reads and writes them): every entry is a set of named files with a sha-256
// verified on load, written in one transaction, and evicted least-recently-used when the storage quota
// (navigator.storage.estimate) or the configured cap leaves no room.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ExpertError } from '../errors.ts';
import { chooseEvictions } from './cache-eviction.ts';
import { hashFiles } from './content-hash.ts';

export type CacheKind = 'expert' | 'model' | 'expert-set';

/** What is known about an entry without reading its files. */
export interface CacheEntry {
	id: string;
	kind: CacheKind;
	/** name@version for experts, the source id for models, the set's name for expert sets. */
	key: string;
	sha256: string;
	bytes: number;
	storedAt: number;
	lastUsed: number;
	/** Small descriptive facts shown in the UI (manifest summary, model config summary, set summary). */
	info: Record<string, unknown>;
}

export interface CacheUsage {
	entries: number;
	bytes: number;
	quota: number | null;
	originUsage: number | null;
	persisted: boolean | null;
}

/** The parts of navigator.storage the store uses; absent where the browser has none. */
export type StorageEstimator = Pick<StorageManager, 'estimate'> &
	Partial<Pick<StorageManager, 'persist' | 'persisted'>>;

interface CacheSchema extends DBSchema {
	entries: { key: string; value: CacheEntry; indexes: { kind: CacheKind } };
	files: { key: string; value: { id: string; files: Record<string, Uint8Array> } };
}

export interface CacheStoreOptions {
	dbName?: string;
	storage?: StorageEstimator;
	/** Upper bound on the bytes this cache may hold, whatever the quota says. */
	maxBytes?: number;
	now?: () => number;
}

export const DEFAULT_DB_NAME = 'expert-cache';

export function cacheEntryId(kind: CacheKind, key: string): string {
	return `${kind}:${key}`;
}

export class CacheStore {
	private constructor(
		private readonly db: IDBPDatabase<CacheSchema>,
		private readonly options: CacheStoreOptions
	) {}

	static async open(options: CacheStoreOptions = {}): Promise<CacheStore> {
		if (typeof indexedDB === 'undefined')
			throw new ExpertError('no-indexeddb', 'this browser has no IndexedDB: experts and models cannot be cached');
		const db = await openDB<CacheSchema>(options.dbName ?? DEFAULT_DB_NAME, 1, {
			upgrade(database) {
				database.createObjectStore('entries', { keyPath: 'id' }).createIndex('kind', 'kind');
				database.createObjectStore('files', { keyPath: 'id' });
			}
		});
		return new CacheStore(db, options);
	}

	close(): void {
		this.db.close();
	}

	private now(): number {
		return (this.options.now ?? Date.now)();
	}

	async list(kind?: CacheKind): Promise<CacheEntry[]> {
		const entries = kind ? await this.db.getAllFromIndex('entries', 'kind', kind) : await this.db.getAll('entries');
		return entries.sort((a, b) => a.key.localeCompare(b.key));
	}

	/** Stores the files as one entry (replacing one with the same key), evicting older entries if needed. */
	async put(
		kind: CacheKind,
		key: string,
		files: Record<string, Uint8Array>,
		info: Record<string, unknown> = {}
	): Promise<CacheEntry> {
		const id = cacheEntryId(kind, key);
		const sha256 = await hashFiles(files);
		const bytes = Object.values(files).reduce((sum, file) => sum + file.byteLength, 0);
		const others = (await this.list()).filter((entry) => entry.id !== id);
		const victims = chooseEvictions(others, bytes, await this.roomBytes(others));
		if (victims === null) {
			throw new ExpertError(
				'quota-exceeded',
				`${key} needs ${formatBytes(bytes)} but the browser storage cannot hold it even after evicting every cached entry`
			);
		}
		const entry: CacheEntry = { id, kind, key, sha256, bytes, storedAt: this.now(), lastUsed: this.now(), info };
		const tx = this.db.transaction(['entries', 'files'], 'readwrite');
		for (const victim of victims) {
			tx.objectStore('entries').delete(victim);
			tx.objectStore('files').delete(victim);
		}
		tx.objectStore('files').put({ id, files });
		tx.objectStore('entries').put(entry);
		await tx.done;
		return entry;
	}

	/** The entry's files after checking their sha-256; a corrupt or partial entry is removed and reported. */
	async get(kind: CacheKind, key: string): Promise<{ entry: CacheEntry; files: Record<string, Uint8Array> }> {
		const id = cacheEntryId(kind, key);
		const tx = this.db.transaction(['entries', 'files'], 'readonly');
		const [entry, stored] = await Promise.all([tx.objectStore('entries').get(id), tx.objectStore('files').get(id)]);
		await tx.done;
		if (!entry) throw new ExpertError('not-cached', `${kind} ${key} is not in the cache`);
		if (!stored || (await hashFiles(stored.files)) !== entry.sha256) {
			await this.remove(kind, key);
			throw new ExpertError(
				'cache-corrupt',
				`cached ${kind} ${key} failed its sha-256 check and was removed: install it again`
			);
		}
		await this.db.put('entries', { ...entry, lastUsed: this.now() });
		return { entry, files: stored.files };
	}

	async remove(kind: CacheKind, key: string): Promise<boolean> {
		const id = cacheEntryId(kind, key);
		const tx = this.db.transaction(['entries', 'files'], 'readwrite');
		const existed = (await tx.objectStore('entries').getKey(id)) !== undefined;
		await Promise.all([tx.objectStore('entries').delete(id), tx.objectStore('files').delete(id), tx.done]);
		return existed;
	}

	async usage(): Promise<CacheUsage> {
		const entries = await this.list();
		const estimate = await this.options.storage?.estimate();
		const persisted = this.options.storage?.persisted ? await this.options.storage.persisted() : null;
		return {
			entries: entries.length,
			bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
			quota: estimate?.quota ?? null,
			originUsage: estimate?.usage ?? null,
			persisted
		};
	}

	/** Room for a new entry, counting the bytes of `others` (the entries it may evict) as used. */
	private async roomBytes(others: CacheEntry[]): Promise<number> {
		const cached = others.reduce((sum, entry) => sum + entry.bytes, 0);
		let room = Number.POSITIVE_INFINITY;
		const estimate = await this.options.storage?.estimate();
		if (estimate?.quota !== undefined) room = estimate.quota - (estimate.usage ?? 0);
		if (this.options.maxBytes !== undefined) room = Math.min(room, this.options.maxBytes - cached);
		return room;
	}
}

/** Asks the browser to keep this origin's storage under pressure; false when refused or unsupported. */
export async function requestPersistentStorage(storage: StorageEstimator | undefined): Promise<boolean> {
	if (!storage?.persist) return false;
	return storage.persist();
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
	if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
	return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
