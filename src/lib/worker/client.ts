// The page's handle on the app worker: one module Worker per page, wrapped with comlink; errors thrown in
// the worker arrive as Error objects whose message is the one-line explanation to show. The runtime choice
// (Settings) is read from localStorage when the worker starts and passed on whenever it changes; a cancel that
// cannot wait terminates the worker.
import * as Comlink from 'comlink';
import { base } from '$app/paths';
import type { AppWorkerApi } from './api.ts';
import { loadRuntimeSettings, saveRuntimeSettings, type RuntimeSettings } from './runtime-settings.ts';

let worker: Worker | null = null;
let remote: Comlink.Remote<AppWorkerApi> | null = null;

export function appWorker(): Comlink.Remote<AppWorkerApi> {
	if (!remote) {
		worker = new Worker(new URL('./app.worker.ts', import.meta.url), { type: 'module' });
		remote = Comlink.wrap<AppWorkerApi>(worker);
		void configureWorker(remote, loadRuntimeSettings());
	}
	return remote;
}

/** Stops the worker mid-task (a cancelled model load or inference); the next call starts a fresh one (the model loads again). */
export function restartAppWorker(): void {
	worker?.terminate();
	worker = null;
	remote = null;
}

function configureWorker(worker: Comlink.Remote<AppWorkerApi>, runtime: RuntimeSettings): Promise<void> {
	return worker.configure({ appUrl: new URL(`${base}/`, location.href).href, runtime });
}

/** Saves the runtime choice and hands it to the worker (the base model reloads on the next classify). */
export function applyRuntimeSettings(runtime: RuntimeSettings): Promise<void> {
	saveRuntimeSettings(runtime);
	return configureWorker(appWorker(), runtime);
}

export function errorMessage(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
