// The embedded base's built graph (weights inside, ready for an ONNX Runtime session) kept in the IndexedDB
// cache between visits, one entry per precision: a later visit of the same app build skips fetching the weights
// and building the graph. An entry from another build, or one failing its sha-256, is rebuilt and replaced.
import type { WeightPrecision } from '../model/quantize.ts';
import type { ReadyGraphCache } from '../runtime/load-web.ts';
import type { CacheStore } from './store.ts';

const GRAPH_FILE = 'model.onnx';

/** `build`: the app build's version (the embedded base ships with it, so it names the weights). */
export function readyGraphCache(
	store: CacheStore,
	modelName: string,
	precision: WeightPrecision,
	build: string
): ReadyGraphCache {
	const key = `${modelName} (${precision}, ready to run)`;
	return {
		async read() {
			const entry = (await store.list('model')).find((candidate) => candidate.key === key);
			if (entry?.info.build !== build) return null;
			const cached = await store.get('model', key).catch(() => null);
			return cached?.files[GRAPH_FILE] ?? null;
		},
		async write(graph) {
			// A full quota only costs the next visit the build again.
			await store.put('model', key, { [GRAPH_FILE]: graph }, { build, precision }).catch(() => undefined);
		}
	};
}
