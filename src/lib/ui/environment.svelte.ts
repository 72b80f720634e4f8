// The browser's capabilities as the app sees them (from the worker's probe), shared by every page: what
// is missing (IndexedDB, module workers) and whether the runtime falls back to WASM.
import type { EnvironmentReport } from '../worker/api.ts';
import { appWorker, errorMessage } from '../worker/client.ts';

export const environment = $state<{ report: EnvironmentReport | null; problem: string | null }>({ report: null, problem: null });

/** Missing features that make the app unusable here, as one sentence, or null. */
function missingFeatures(): string | null {
	const missing = [];
	if (typeof indexedDB === 'undefined') missing.push('IndexedDB');
	if (typeof Worker === 'undefined') missing.push('Web Workers');
	if (typeof WebAssembly === 'undefined') missing.push('WebAssembly');
	return missing.length ? `This browser lacks ${missing.join(', ')}, which Expert needs to cache experts and run the model.` : null;
}

export async function probeBrowser(): Promise<void> {
	environment.problem = missingFeatures();
	if (environment.problem) return;
	try {
		environment.report = await appWorker().environment();
		if (!environment.report.indexedDB) environment.problem = 'IndexedDB is not available to the worker (private mode?): experts cannot be cached.';
	} catch (error) {
		environment.problem = `The app worker could not start: ${errorMessage(error)}`;
	}
}
