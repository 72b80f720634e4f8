// The expert set active on one base model: loads each adapter once (through a loader, so Node's disk and the
// browser's IndexedDB share it; a failed load is asked again next time) and activates exact sets of them.
import type { ExpertManifest } from '../experts/manifest.ts';
import type { LoadedAdapter } from './adapter-weights.ts';
import type { ModelRuntime } from './model-runtime.ts';

export class ExpertStack {
	private readonly adapters = new Map<string, Promise<LoadedAdapter>>();

	constructor(
		readonly runtime: ModelRuntime,
		readonly registry: ExpertManifest[],
		private readonly loadAdapter: (id: string) => Promise<LoadedAdapter>
	) {}

	private adapter(id: string): Promise<LoadedAdapter> {
		let loading = this.adapters.get(id);
		if (!loading) {
			loading = this.loadAdapter(id);
			loading.catch(() => this.adapters.delete(id));
			this.adapters.set(id, loading);
		}
		return loading;
	}

	/** Makes exactly `ids` (`name@version`, weight 1 each) the active expert set. */
	async activate(ids: string[]): Promise<void> {
		const adapters = await Promise.all(ids.map((id) => this.adapter(id)));
		await this.runtime.activate(adapters.map((adapter) => ({ adapter, weight: 1 })));
	}
}
