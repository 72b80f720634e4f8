// The service worker: precaches the app shell (build output, static files including the embedded model
// under models/, prerendered pages, the worker scripts, onnxruntime-web's runtime files, the built-in experts) per version;
// serves those cache-first, navigations network-first with the cached page (or the start page) offline.
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { base, build, files, prerendered, version } from '$service-worker';
import {
	BUILTIN_EXPERTS_DIR,
	builtinFileUrls,
	builtinIndexUrl,
	parseBuiltinIndex
} from './lib/worker/builtin-expert-index.ts';
import { ORT_ASSETS_DIR, ORT_RUNTIME_FILES } from './lib/runtime/ort-assets.ts';
import {
	parseWorkerScriptsIndex,
	WORKER_SCRIPTS_DIR,
	WORKER_SCRIPTS_INDEX
} from './lib/worker/worker-scripts-index.ts';

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `expert-cache-${version}`;
const PRECACHED = new Set([...build, ...files, ...prerendered]);
const START_PAGE = `${base}/`;
const APP_URL = new URL(START_PAGE, worker.location.href).href;
/** Shipped by the build outside SvelteKit's file lists (see src/vite/app-assets-plugin.ts): cache-first too. */
const SHIPPED_PREFIXES = [
	`${base}/${ORT_ASSETS_DIR}/`,
	`${base}/${BUILTIN_EXPERTS_DIR}/`,
	`${base}/${WORKER_SCRIPTS_DIR}`
];

/** The text of a list the build writes, or null when this build has none (a dev server). */
async function buildList(url: string): Promise<string | null> {
	const response = await fetch(url);
	if (response.status === 404) return null;
	if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
	return response.text();
}

/** The runtime files, the worker scripts and every built-in expert file the build's lists name. */
async function shippedAssets(): Promise<string[]> {
	const ort = ORT_RUNTIME_FILES.map((file) => `${base}/${ORT_ASSETS_DIR}/${file}`);
	const workersUrl = new URL(WORKER_SCRIPTS_INDEX, APP_URL).href;
	const [builtin, workers] = await Promise.all([buildList(builtinIndexUrl(APP_URL)), buildList(workersUrl)]);
	return [
		...ort,
		...(workers === null ? [] : parseWorkerScriptsIndex(workers, workersUrl).map((file) => `${base}/${file}`)),
		...(builtin === null ? [] : builtinFileUrls(parseBuiltinIndex(builtin, builtinIndexUrl(APP_URL)), APP_URL))
	];
}

worker.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then(async (cache) => cache.addAll([...PRECACHED, ...(await shippedAssets())]))
			.then(() => worker.skipWaiting())
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
			.then(() => worker.clients.claim())
	);
});

async function cacheFirst(request: Request, path: string): Promise<Response> {
	const cached = await caches.match(path);
	return cached ?? fetch(request);
}

async function networkFirst(request: Request, fallbackPath: string | null): Promise<Response> {
	try {
		const response = await fetch(request);
		if (response.ok && request.method === 'GET') {
			const copy = response.clone();
			void caches.open(CACHE).then((cache) => cache.put(request, copy));
		}
		return response;
	} catch (error) {
		const cached = (await caches.match(request)) ?? (fallbackPath ? await caches.match(fallbackPath) : undefined);
		if (cached) return cached;
		throw error;
	}
}

worker.addEventListener('fetch', (event) => {
	const { request } = event;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
	if (PRECACHED.has(url.pathname) || SHIPPED_PREFIXES.some((prefix) => url.pathname.startsWith(prefix)))
		event.respondWith(cacheFirst(request, url.pathname));
	else if (request.mode === 'navigate') event.respondWith(networkFirst(request, START_PAGE));
	else event.respondWith(networkFirst(request, null));
});
