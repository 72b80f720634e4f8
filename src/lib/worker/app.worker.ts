// The app's module Web Worker, exposed with comlink: probes the browser, keeps the expert cache
// (IndexedDB) and answers classify; heavy work (hashing, unzipping, inference) stays off the UI thread.
import * as Comlink from 'comlink';
import { ExpertError } from '../errors.ts';
import { resolveLoadPlan } from '../experts/resolver.ts';
import type { AppWorkerApi, ModelState } from './api.ts';
import { readEmbeddedBase } from './embedded-base.ts';
import { probeEnvironment } from './environment.ts';
import { packExpertArchive } from './expert-archive.ts';
import { cachedManifest, toInstalledExpert, validateExpertArchive } from './expert-install.ts';
import { CacheStore } from './store.ts';

const NO_CLASSIFY = 'the runtime has no classify entry point to call yet';

let modelsUrl: string | null = null;
let modelStatePromise: Promise<ModelState> | null = null;
let storePromise: Promise<CacheStore> | null = null;

function store(): Promise<CacheStore> {
	storePromise ??= CacheStore.open({ storage: navigator.storage }).catch((error) => {
		storePromise = null;
		throw error;
	});
	return storePromise;
}

async function downloadArchive(url: string): Promise<Uint8Array> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new ExpertError('bad_url', `"${url}" is not a URL`);
	}
	const response = await fetch(parsed).catch((error: unknown) => {
		throw new ExpertError('download_failed', `could not download ${url}: ${error instanceof Error ? error.message : String(error)}`);
	});
	if (!response.ok) throw new ExpertError('download_failed', `could not download ${url}: the server answered ${response.status} ${response.statusText}`.trim());
	return new Uint8Array(await response.arrayBuffer());
}

/** What is known about the base model: the embedded one's shape when the build ships it. */
function modelState(): Promise<ModelState> {
	modelStatePromise ??= (modelsUrl ? readEmbeddedBase(modelsUrl) : Promise.resolve(null)).then((base) => ({
		loaded: false,
		detail: base
			? `embedded base ${base.name} (hidden ${base.hidden_size}, ${base.num_hidden_layers} layers) is available, but ${NO_CLASSIFY}`
			: `this build ships no embedded base model, and ${NO_CLASSIFY}`,
		base
	}));
	return modelStatePromise;
}

const api: AppWorkerApi = {
	async configure(options) {
		modelsUrl = options.modelsUrl;
		modelStatePromise = null;
	},

	environment: probeEnvironment,

	modelState,

	async listExperts() {
		return (await (await store()).list('expert')).map(toInstalledExpert);
	},

	async installExpert(archive, source) {
		const { key, files, summary } = validateExpertArchive(archive, source, (await modelState()).base);
		const entry = await (await store()).put('expert', key, files as Record<string, Uint8Array>, summary);
		return toInstalledExpert(entry);
	},

	async installExpertFromUrl(url) {
		const archive = await downloadArchive(url);
		return api.installExpert(archive, url);
	},

	async loadPlan(requests) {
		const registry = (await (await store()).list('expert')).map(cachedManifest);
		const base = (await modelState()).base ?? undefined;
		return resolveLoadPlan(requests, registry, { base }).plan.map(({ name, version, load_order, reason }) => ({ name, version, load_order, reason }));
	},

	async removeExpert(key) {
		return (await store()).remove('expert', key);
	},

	async exportExpert(key) {
		const { entry, files } = await (await store()).get('expert', key);
		const { name, version } = toInstalledExpert(entry);
		const folder = `${name}-v${version.split('.')[0]}`;
		const bytes = packExpertArchive(folder, files);
		return Comlink.transfer({ fileName: `${name}-${version}.zip`, bytes }, [bytes.buffer as ArrayBuffer]);
	},

	async cacheReport() {
		const cache = await store();
		return { usage: await cache.usage(), entries: await cache.list() };
	},

	async classify(inputs) {
		if (inputs.length === 0) throw new ExpertError('no_input', 'no files to classify');
		throw new ExpertError('model_not_loaded', `model not loaded: ${(await modelState()).detail}`);
	}
};

Comlink.expose(api);
