// The expert set active on one base model: loads each adapter once (through a loader, so Node's disk and the
// browser's IndexedDB share it; a failed load is asked again next time) and activates exact sets of them,
// each at weight 1 or at the weight given.
import type { ExpertManifest } from '../experts/manifest.ts';
import type { WeightedExpert } from '../experts/expert-set.ts';
import type { LoadedAdapter } from './adapter-weights.ts';
import type { ModelRuntime } from './model-runtime.ts';
import { loadOnce } from './load-once.ts';

/** An expert to stack: `name@version` (weight 1) or with its weight. */
export type StackEntry = string | WeightedExpert;

export const weighted = (entry: StackEntry): WeightedExpert =>
	typeof entry === 'string' ? { id: entry, weight: 1 } : entry;

export class ExpertStack {
	private readonly adapter: (id: string) => Promise<LoadedAdapter>;

	constructor(
		readonly runtime: ModelRuntime,
		readonly registry: ExpertManifest[],
		loadAdapter: (id: string) => Promise<LoadedAdapter>
	) {
		this.adapter = loadOnce(loadAdapter);
	}

	/** Makes exactly `entries` the active expert set; a weight-0 expert is left out. */
	async activate(entries: readonly StackEntry[]): Promise<void> {
		const experts = entries.map(weighted).filter((expert) => expert.weight !== 0);
		const adapters = await Promise.all(experts.map((expert) => this.adapter(expert.id)));
		await this.runtime.activate(adapters.map((adapter, index) => ({ adapter, weight: experts[index].weight })));
	}
}
