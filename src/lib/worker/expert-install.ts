// Turns an uploaded package archive into a cache entry: unpack, validate with the experts library
// (manifest, adapter config, weights), check it fits the loaded base, and summarise it for the UI.
import { ExpertError } from '../errors.ts';
import { findAdapterProblems } from '../experts/adapter-check.ts';
import type { ExpertManifest } from '../experts/manifest.ts';
import { parseExpertPackage, type ExpertPackage } from '../experts/package.ts';
import type { BaseModelSummary, InstalledExpert } from './api.ts';
import { unpackExpertArchive, type PackageFiles } from './expert-archive.ts';
import type { CacheEntry } from './store.ts';

export type ExpertSummary = Omit<InstalledExpert, 'key' | 'bytes' | 'builtin'>;
/** What a cache entry's info holds for an expert: the UI summary and the manifest the resolver needs. */
export type ExpertEntryInfo = ExpertSummary & { manifest: ExpertManifest };

const decoder = new TextDecoder();
const text = (bytes: Uint8Array | undefined) => (bytes ? decoder.decode(bytes) : undefined);

/** The declared base (manifest) and the tensor shapes must both fit the loaded base model. */
function checkBase(pkg: ExpertPackage, base: BaseModelSummary, source: string): void {
	const declared = pkg.manifest.base_model;
	if (
		declared &&
		(declared.hidden_size !== base.hidden_size || declared.num_hidden_layers !== base.num_hidden_layers)
	) {
		throw new ExpertError(
			'wrong-base',
			`${source}: built for base ${declared.name} (hidden ${declared.hidden_size}, ${declared.num_hidden_layers} layers), not the loaded ${base.name} (hidden ${base.hidden_size}, ${base.num_hidden_layers} layers)`
		);
	}
	const problems = pkg.adapterConfig && pkg.weights ? findAdapterProblems(pkg.adapterConfig, pkg.weights, base) : [];
	if (problems.length > 0) {
		const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
		throw new ExpertError('wrong-base', `${source}: does not fit the loaded base ${base.name}: ${problems[0]}${more}`);
	}
}

export function summariseExpert(pkg: Pick<ExpertPackage, 'manifest' | 'adapterConfig'>): ExpertEntryInfo {
	const { manifest, adapterConfig } = pkg;
	return {
		manifest,
		name: manifest.name,
		version: manifest.version,
		description: manifest.description,
		capabilities: manifest.capabilities,
		keywords: manifest.routing.keywords,
		priority: manifest.routing.priority,
		loadOrder: manifest.constraints.load_order,
		requires: manifest.constraints.requires,
		rank: adapterConfig?.r ?? null,
		targetModules: adapterConfig?.target_modules ?? [],
		savedModules: adapterConfig?.modules_to_save ?? []
	};
}

/** Parses a package from its files by name (an unpacked archive, or a cache entry's files). */
export function parsePackageFiles(files: PackageFiles, source: string): ExpertPackage {
	return parseExpertPackage(
		{
			manifest: text(files['manifest.json']) as string,
			adapterConfig: text(files['adapter_config.json']),
			adapterWeights: files['adapter_model.safetensors'],
			metadata: text(files['metadata.json'])
		},
		source
	);
}

/** Unpacks and validates; `base` is the loaded base model, when there is one, to check the expert against. */
export function validateExpertArchive(
	archive: Uint8Array,
	source: string,
	base: BaseModelSummary | null
): { key: string; files: PackageFiles; summary: ExpertEntryInfo } {
	const files = unpackExpertArchive(archive, source);
	const pkg = parsePackageFiles(files, source);
	if (base) checkBase(pkg, base, source);
	return { key: `${pkg.manifest.name}@${pkg.manifest.version}`, files, summary: summariseExpert(pkg) };
}

export function toInstalledExpert(entry: CacheEntry): InstalledExpert {
	const { manifest: _manifest, ...summary } = entry.info as ExpertEntryInfo;
	return { ...summary, key: entry.key, bytes: entry.bytes, builtin: false };
}

export function cachedManifest(entry: CacheEntry): ExpertManifest {
	return (entry.info as ExpertEntryInfo).manifest;
}
