// The page's handle on the app worker: one module Worker per page, wrapped with comlink; errors thrown in
// the worker arrive as Error objects whose message is the one-line explanation to show; a worker whose script
// does not load fails every call instead of leaving it pending. The runtime choice
// (Settings) is read from localStorage when the worker starts and passed on whenever it changes; a cancel that
// cannot wait terminates the worker.
import * as Comlink from 'comlink';
import { version } from '$app/environment';
import { base } from '$app/paths';
import { ExpertError } from '../errors.ts';
import type { AppWorkerApi } from './api.ts';
import { carryErrorCodes } from './error-transfer.ts';
import { loadRuntimeSettings, saveRuntimeSettings, type RuntimeSettings } from './runtime-settings.ts';

carryErrorCodes();

let worker: Worker | null = null;
let remote: Comlink.Remote<AppWorkerApi> | null = null;

/**
 * Every call on `target` also fails once `failure` rejects: Comlink leaves calls pending forever when the
 * worker's script never loads (offline before this version was cached), so the page would wait forever.
 */
function failingWith<T extends object>(target: T, failure: Promise<never>): T {
	return new Proxy(target, {
		get(object, key) {
			const member = Reflect.get(object, key) as unknown;
			if (typeof member !== 'function') return member;
			return (...args: unknown[]) =>
				Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), failure]);
		}
	});
}

export function appWorker(): Comlink.Remote<AppWorkerApi> {
	if (!remote) {
		const started = new Worker(new URL('./app.worker.ts', import.meta.url), { type: 'module' });
		let answered = false;
		const failure = new Promise<never>((_, reject) => {
			started.addEventListener('error', () => {
				if (!answered)
					reject(
						new ExpertError(
							'worker-unavailable',
							"the app's worker did not start: its script could not be loaded (offline before this version of the app was stored?); reload once online"
						)
					);
			});
		});
		failure.catch(() => undefined);
		worker = started;
		remote = failingWith(Comlink.wrap<AppWorkerApi>(started), failure);
		void configureWorker(remote, loadRuntimeSettings()).then(
			() => (answered = true),
			() => undefined
		);
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
	return worker.configure({ appUrl: new URL(`${base}/`, location.href).href, appVersion: version, runtime });
}

/** Saves the runtime choice and hands it to the worker (the base model reloads on the next classify). */
export function applyRuntimeSettings(runtime: RuntimeSettings): Promise<void> {
	saveRuntimeSettings(runtime);
	return configureWorker(appWorker(), runtime);
}
