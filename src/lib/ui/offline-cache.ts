// What the service worker keeps for offline use (CacheStorage): each cache's name, file count and bytes, for
// Settings beside the expert cache (IndexedDB). Reads sizes from Content-Length, else from the body.

export interface OfflineCache {
	name: string;
	files: number;
	bytes: number;
}

export async function offlineCaches(): Promise<OfflineCache[]> {
	if (!('caches' in globalThis)) return [];
	const report: OfflineCache[] = [];
	for (const name of await caches.keys()) {
		const cache = await caches.open(name);
		let bytes = 0;
		const requests = await cache.keys();
		for (const request of requests) {
			const response = await cache.match(request);
			const length = Number(response?.headers.get('content-length') ?? Number.NaN);
			bytes += Number.isFinite(length) ? length : ((await response?.blob())?.size ?? 0);
		}
		report.push({ name, files: requests.length, bytes });
	}
	return report;
}
