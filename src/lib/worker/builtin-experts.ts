// The experts shipped inside the app build, for the app worker: their manifests and summaries (listed and
// resolved beside the installed ones, which replace a built-in of the same name@version) and a loader for
// their adapters, so classification works without installing anything; and the expert sets shipped beside them
// (experts/sets/, e.g. `auto`'s tuned weights), which a stored set of the same name replaces.
import { ExpertError } from '../errors.ts';
import { parseAdapterConfig } from '../experts/adapter.ts';
import type { ExpertSet } from '../experts/expert-set.ts';
import { parseManifest, type ExpertManifest } from '../experts/manifest.ts';
import { OPTIONAL_PACKAGE_FILES, PACKAGE_FILES, parseExpertPackage } from '../experts/package.ts';
import { fetchLanguageHead, type LanguageHead } from '../classify/language-head.ts';
import type { ModelConfig } from '../model/config.ts';
import { loadAdapterWeights, type LoadedAdapter } from '../runtime/adapter-weights.ts';
import { fetchBytes, fetchText } from '../runtime/load-web.ts';
import type { InstalledExpert } from './api.ts';
import { builtinFolderUrl, builtinIndexUrl, parseBuiltinIndex } from './builtin-expert-index.ts';
import { summariseExpert } from './expert-install.ts';

export interface BuiltinExpert {
	/** name@version */
	key: string;
	manifest: ExpertManifest;
	/** What the Experts page lists. */
	listing: InstalledExpert;
	/** Absolute URL of the package folder, ending in a slash. */
	folderUrl: string;
	files: string[];
}

export interface BuiltinCatalog {
	experts: BuiltinExpert[];
	sets: ExpertSet[];
}

/** The built-in experts with their manifests, and the shipped sets; none when the build ships no index (404). */
export async function fetchBuiltinExperts(appUrl: string): Promise<BuiltinCatalog> {
	const indexUrl = builtinIndexUrl(appUrl);
	const response = await fetch(indexUrl).catch(() => null);
	if (response?.status === 404) return { experts: [], sets: [] };
	if (!response?.ok)
		throw new ExpertError('fetch-failed', `${indexUrl}: ${response ? `HTTP ${response.status}` : 'network error'}`);
	const index = parseBuiltinIndex(await response.text(), indexUrl);
	const experts = await Promise.all(
		index.packages.map(async ({ folder, files, bytes }) => {
			const folderUrl = builtinFolderUrl(appUrl, folder);
			const [manifestUrl, configUrl] = [
				`${folderUrl}${PACKAGE_FILES.manifest}`,
				`${folderUrl}${PACKAGE_FILES.adapterConfig}`
			];
			const [manifestText, configText] = await Promise.all([
				fetchText(manifestUrl),
				files.includes(PACKAGE_FILES.adapterConfig) ? fetchText(configUrl) : null
			]);
			const manifest = parseManifest(manifestText, manifestUrl);
			const adapterConfig = configText === null ? null : parseAdapterConfig(configText, configUrl);
			const { manifest: _manifest, ...summary } = summariseExpert({ manifest, adapterConfig });
			const key = `${manifest.name}@${manifest.version}`;
			return { key, manifest, listing: { ...summary, key, bytes, builtin: true }, folderUrl, files };
		})
	);
	return { experts, sets: index.sets };
}

/** The shipped sets with the stored ones over them (a stored set replaces a shipped one of its name). */
export function withStoredSets(shipped: ExpertSet[], stored: ExpertSet[]): ExpertSet[] {
	const names = new Set(stored.map((set) => set.name));
	return [...shipped.filter((set) => !names.has(set.name)), ...stored];
}

/** The built-in experts that no installed package (by name@version) replaces. */
export function unreplacedBuiltins(builtin: BuiltinExpert[], installedKeys: ReadonlySet<string>): BuiltinExpert[] {
	return builtin.filter((expert) => !installedKeys.has(expert.key));
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

/** Fetches the language head of a built-in package that carries one (head_config.json + the adapter file's head tensors). */
export async function loadBuiltinLanguageHead(expert: BuiltinExpert): Promise<LanguageHead> {
	if (!expert.files.includes(OPTIONAL_PACKAGE_FILES.headConfig))
		throw new ExpertError(
			'bad-language-head',
			`${expert.folderUrl.replace(/\/$/, '')}: has no ${OPTIONAL_PACKAGE_FILES.headConfig} (no language head)`
		);
	return fetchLanguageHead(expert.folderUrl);
}
