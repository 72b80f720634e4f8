// The experts shipped inside the app build, for the app worker: their manifests (part of the resolver's
// registry beside the installed ones) and a loader for their adapters, so classification works without
// installing anything.
import { ExpertError } from '../errors.ts';
import { parseManifest, type ExpertManifest } from '../experts/manifest.ts';
import { PACKAGE_FILES, parseExpertPackage } from '../experts/package.ts';
import type { ModelConfig } from '../model/config.ts';
import { loadAdapterWeights, type LoadedAdapter } from '../runtime/adapter-weights.ts';
import { fetchBytes, fetchText } from '../runtime/load-web.ts';
import { builtinFolderUrl, builtinIndexUrl, parseBuiltinIndex } from './builtin-expert-index.ts';

export interface BuiltinExpert {
	manifest: ExpertManifest;
	/** Absolute URL of the package folder, ending in a slash. */
	folderUrl: string;
	files: string[];
}

/** The built-in experts with their manifests; none when the build ships no index (404). */
export async function fetchBuiltinExperts(appUrl: string): Promise<BuiltinExpert[]> {
	const indexUrl = builtinIndexUrl(appUrl);
	const response = await fetch(indexUrl).catch(() => null);
	if (response?.status === 404) return [];
	if (!response?.ok) throw new ExpertError('fetch-failed', `${indexUrl}: ${response ? `HTTP ${response.status}` : 'network error'}`);
	const index = parseBuiltinIndex(await response.text(), indexUrl);
	return Promise.all(
		index.packages.map(async ({ folder, files }) => {
			const folderUrl = builtinFolderUrl(appUrl, folder);
			const manifestUrl = `${folderUrl}${PACKAGE_FILES.manifest}`;
			return { manifest: parseManifest(await fetchText(manifestUrl), manifestUrl), folderUrl, files };
		})
	);
}

/** Fetches the package's adapter files (those it ships) and checks them against the loaded base. */
export async function loadBuiltinAdapter(config: ModelConfig, expert: BuiltinExpert): Promise<LoadedAdapter> {
	const url = (file: string) => `${expert.folderUrl}${file}`;
	const has = (file: string) => expert.files.includes(file);
	const [manifest, adapterConfig, adapterWeights] = await Promise.all([
		fetchText(url(PACKAGE_FILES.manifest)),
		has(PACKAGE_FILES.adapterConfig) ? fetchText(url(PACKAGE_FILES.adapterConfig)) : undefined,
		has(PACKAGE_FILES.adapterWeights) ? fetchBytes(url(PACKAGE_FILES.adapterWeights)) : undefined
	]);
	const folder = expert.folderUrl.replace(/\/$/, '');
	return loadAdapterWeights(config, parseExpertPackage({ manifest, adapterConfig, adapterWeights }, folder), folder);
}
