// The list of the build's Web Worker scripts (_app/immutable/workers/*.js), which SvelteKit's `$service-worker`
// `build` list leaves out (sveltejs/kit#12438): written by the build next to the pages, read by the service
// worker, which precaches them so the app's worker starts offline after the first visit.
import { ExpertError } from '../errors.ts';

export const WORKER_SCRIPTS_INDEX = 'worker-scripts.json';
/** Where Vite writes worker bundles: content-hashed, so safe to serve from the cache forever. */
export const WORKER_SCRIPTS_DIR = '_app/immutable/workers/';
const WORKER_SCRIPT = /^_app\/immutable\/workers\/[\w.-]+\.js$/;

/** The worker scripts among a build's output files (paths relative to the site root). */
export function workerScriptsOf(outputFiles: Iterable<string>): string[] {
	return [...outputFiles].filter((file) => WORKER_SCRIPT.test(file)).sort();
}

export function parseWorkerScriptsIndex(text: string, source: string): string[] {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new ExpertError('bad-worker-scripts-index', `${source}: not JSON`);
	}
	if (!Array.isArray(value) || !value.every((file) => typeof file === 'string' && WORKER_SCRIPT.test(file))) {
		throw new ExpertError('bad-worker-scripts-index', `${source}: must be a list of ${WORKER_SCRIPTS_DIR}*.js paths`);
	}
	return value;
}
