// The service worker: precaches the app shell (build output, static files including the embedded model
// under models/, prerendered pages) per version; serves those cache-first, navigations network-first
// with the cached page (or the app's start page) as the offline fallback.
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { base, build, files, prerendered, version } from '$service-worker';

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `expert-cache-${version}`;
const PRECACHED = new Set([...build, ...files, ...prerendered]);
const START_PAGE = `${base}/`;

worker.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll([...PRECACHED]))
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
	if (PRECACHED.has(url.pathname)) event.respondWith(cacheFirst(request, url.pathname));
	else if (request.mode === 'navigate') event.respondWith(networkFirst(request, START_PAGE));
	else event.respondWith(networkFirst(request, null));
});
