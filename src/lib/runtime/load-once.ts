// Remembers each load by key, so a package is read once however often it is asked for; a load that fails is
// forgotten, so the next ask tries again (a network blip or a fixed file is not cached as a failure).
export function loadOnce<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
	const loads = new Map<string, Promise<T>>();
	return (key) => {
		let loading = loads.get(key);
		if (!loading) {
			loading = load(key);
			loading.catch(() => loads.delete(key));
			loads.set(key, loading);
		}
		return loading;
	};
}
