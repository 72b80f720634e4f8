// The page's handle on the app worker: one module Worker per page, wrapped with comlink; errors thrown in
// the worker arrive as Error objects whose message is the one-line explanation to show.
import * as Comlink from 'comlink';
import { base } from '$app/paths';
import type { AppWorkerApi } from './api.ts';

let remote: Comlink.Remote<AppWorkerApi> | null = null;

export function appWorker(): Comlink.Remote<AppWorkerApi> {
	if (!remote) {
		remote = Comlink.wrap<AppWorkerApi>(new Worker(new URL('./app.worker.ts', import.meta.url), { type: 'module' }));
		void remote.configure({ modelsUrl: new URL(`${base}/models/`, location.href).href });
	}
	return remote;
}

export function errorMessage(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
