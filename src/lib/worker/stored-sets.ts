// Named expert sets in the app's IndexedDB cache (kind "expert-set", one set.json per entry): written only
// after the schema accepts them, and checked against expertSetSchema again on every read, so a damaged entry
// is reported by name and never reaches classify.
import { describeError, ExpertError } from '../errors.ts';
import { expertSetSchema, parseExpertSet, type ExpertSet } from '../experts/expert-set.ts';
import type { CacheEntry, CacheStore } from './store.ts';

const KIND = 'expert-set';
const SET_FILE = 'set.json';

export interface StoredSets {
	/** The sets that read back valid, by name. */
	sets: ExpertSet[];
	/** One line per stored entry that did not (unreadable, failed its checksum or the schema). */
	problems: string[];
}

/** Validates the set and stores it under its name (replacing a set of that name). */
export async function storeExpertSet(cache: CacheStore, set: ExpertSet): Promise<CacheEntry> {
	const checked = expertSetSchema.safeParse(set);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		throw new ExpertError(
			'bad-expert-set',
			`expert set @${set.name}: ${issue.path.join('.') || 'set'}: ${issue.message}`
		);
	}
	const bytes = new TextEncoder().encode(`${JSON.stringify(checked.data, null, '\t')}\n`);
	const info = {
		description: checked.data.description,
		experts: checked.data.experts.length,
		routed: checked.data.routed.length
	};
	return cache.put(KIND, checked.data.name, { [SET_FILE]: bytes }, info);
}

/** Every stored set, each read and validated; entries that fail are listed as problems, not thrown. */
export async function readStoredSets(cache: CacheStore): Promise<StoredSets> {
	const sets: ExpertSet[] = [];
	const problems: string[] = [];
	for (const entry of await cache.list(KIND)) {
		try {
			const { files } = await cache.get(KIND, entry.key);
			const file = files[SET_FILE];
			if (!file) throw new ExpertError('bad-expert-set', `stored expert set @${entry.key}: no ${SET_FILE}`);
			const set = parseExpertSet(new TextDecoder().decode(file), `stored expert set @${entry.key}`);
			if (set.name !== entry.key)
				throw new ExpertError('bad-expert-set', `stored expert set @${entry.key}: its file names it @${set.name}`);
			sets.push(set);
		} catch (error) {
			problems.push(describeError(error));
		}
	}
	return { sets, problems };
}

/** A key that changes whenever a stored set is added, replaced or removed (cheap: entry metadata only). */
export async function storedSetsKey(cache: CacheStore): Promise<string> {
	return (await cache.list(KIND)).map((entry) => `${entry.key}:${entry.sha256}`).join(',');
}
