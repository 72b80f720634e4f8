// An expert package held in memory (browser-safe, no node:fs): manifest.json, optional
// adapter_config.json + adapter_model.safetensors, optional metadata.json, parsed and cross-checked.
import { ExpertError } from '../errors.ts';
import { parseAdapterConfig, type AdapterConfig } from './adapter.ts';
import { findAdapterProblems } from './adapter-check.ts';
import { parseJsonText } from './json-source.ts';
import { parseManifest, type ExpertManifest } from './manifest.ts';
import { parseSafetensors, type SafetensorsFile } from './safetensors.ts';

export const PACKAGE_FILES = {
	manifest: 'manifest.json',
	adapterConfig: 'adapter_config.json',
	adapterWeights: 'adapter_model.safetensors',
	metadata: 'metadata.json'
} as const;

/** Files a package may carry beside those: the language head's configuration (its tensors are in the adapter file). */
export const OPTIONAL_PACKAGE_FILES = {
	headConfig: 'head_config.json'
} as const;

export interface ExpertPackage {
	manifest: ExpertManifest;
	/** null for a "manifest only" package (weights not trained yet). */
	adapterConfig: AdapterConfig | null;
	weights: SafetensorsFile | null;
	metadata: Record<string, unknown> | null;
}

export interface ExpertPackageFiles {
	manifest: string;
	adapterConfig?: string;
	adapterWeights?: Uint8Array;
	metadata?: string;
}

/** Parses metadata.json text: any JSON object (provenance: dataset, method, metrics, ...). */
export function parseMetadata(jsonText: string, source: string): Record<string, unknown> {
	const value = parseJsonText(jsonText, source, 'bad-metadata');
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new ExpertError('bad-metadata', `${source}: must be a JSON object`);
	}
	return value as Record<string, unknown>;
}

/** Parses and cross-checks a package's files; `source` (a folder or archive name) prefixes every error. */
export function parseExpertPackage(files: ExpertPackageFiles, source: string): ExpertPackage {
	if (typeof files.manifest !== 'string')
		throw new ExpertError('bad-package', `${source}: ${PACKAGE_FILES.manifest} is missing`);
	const manifest = parseManifest(files.manifest, `${source}/${PACKAGE_FILES.manifest}`);
	const hasConfig = files.adapterConfig !== undefined;
	const hasWeights = files.adapterWeights !== undefined;
	if (hasConfig !== hasWeights) {
		const [present, missing] = hasConfig
			? [PACKAGE_FILES.adapterConfig, PACKAGE_FILES.adapterWeights]
			: [PACKAGE_FILES.adapterWeights, PACKAGE_FILES.adapterConfig];
		throw new ExpertError('bad-package', `${source}: has ${present} but no ${missing}`);
	}
	const adapterConfig = hasConfig
		? parseAdapterConfig(files.adapterConfig as string, `${source}/${PACKAGE_FILES.adapterConfig}`)
		: null;
	const weights = hasWeights
		? parseSafetensors(files.adapterWeights as Uint8Array, `${source}/${PACKAGE_FILES.adapterWeights}`)
		: null;
	if (adapterConfig && weights) {
		const problems = findAdapterProblems(adapterConfig, weights, manifest.base_model);
		if (problems.length > 0) throw new ExpertError('bad-adapter', `${source}: ${problems.join('; ')}`);
	}
	const metadata =
		files.metadata === undefined ? null : parseMetadata(files.metadata, `${source}/${PACKAGE_FILES.metadata}`);
	return { manifest, adapterConfig, weights, metadata };
}
