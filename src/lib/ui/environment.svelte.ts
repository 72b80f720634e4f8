// The browser's capabilities as the app sees them (from the worker's probe), shared by every page: what
// is missing (IndexedDB, module workers) and whether the runtime falls back to WASM.
import { describeError, isExpertError } from '../errors.ts';
import type { EnvironmentReport } from '../worker/api.ts';
import { appWorker } from '../worker/client.ts';

/** Why the app cannot work here: a browser that lacks something, or an app not yet stored for offline use. */
export interface EnvironmentProblem {
	title: string;
	text: string;
}

export const environment = $state<{ report: EnvironmentReport | null; problem: EnvironmentProblem | null }>({
	report: null,
	problem: null
});

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const unsupported = (text: string): EnvironmentProblem => ({
	title: 'Unsupported browser',
	text: `${text} Try a current Chrome, Edge or Firefox, outside private mode.`
});

/** Missing features that make the app unusable here, as one sentence, or null. */
function missingFeatures(): string | null {
	const missing = [];
	if (typeof indexedDB === 'undefined') missing.push('IndexedDB');
	if (typeof Worker === 'undefined') missing.push('Web Workers');
	if (typeof WebAssembly === 'undefined') missing.push('WebAssembly');
	return missing.length
		? `This browser lacks ${missing.join(', ')}, which Expert needs to cache experts and run the model.`
		: null;
}

export async function probeBrowser(): Promise<void> {
	const missing = missingFeatures();
	if (missing) {
		environment.problem = unsupported(missing);
		return;
	}
	try {
		environment.report = await appWorker().environment();
		if (!environment.report.indexedDB)
			environment.problem = unsupported(
				'IndexedDB is not available to the worker (private mode?): experts cannot be cached.'
			);
	} catch (error) {
		environment.problem =
			isExpertError(error) && error.code === 'worker-unavailable'
				? { title: 'Not available offline yet', text: `${sentence(describeError(error))}.` }
				: unsupported(`The app worker could not start: ${describeError(error)}`);
	}
}
