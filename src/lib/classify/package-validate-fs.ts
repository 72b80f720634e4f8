// `expert validate` for one package folder (Node only): checks every file independently and collects
// ALL problems (manifest fields, adapter config, safetensors, tensor/config consistency, metadata, and a
// classification head it carries: here, above lib/experts' formats, because it loads classify's language head).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { LANGUAGE_HEAD_MODULE, LanguageHead } from './language-head.ts';
import { describeError } from '../errors.ts';
import { adapterConfigSchema, type AdapterConfig } from '../experts/adapter.ts';
import { findAdapterProblems } from '../experts/adapter-check.ts';
import { describeIssues, parseJsonText } from '../experts/json-source.ts';
import { manifestSchema, type ExpertManifest } from '../experts/manifest.ts';
import { OPTIONAL_PACKAGE_FILES, PACKAGE_FILES, parseMetadata } from '../experts/package.ts';
import { readExpertPackageFiles } from '../experts/package-fs.ts';
import { parseSafetensors, type SafetensorsFile } from '../experts/safetensors.ts';

export type PackageStatus = 'valid' | 'manifest only' | 'invalid';

export interface PackageReport {
	dir: string;
	name: string | null;
	version: string | null;
	status: PackageStatus;
	/** Tensor count of adapter_model.safetensors when it parsed. */
	tensors: number | null;
	problems: string[];
}

/** Parses a JSON file against a schema, pushing one problem per bad field; null when anything is wrong. */
function checkJson<T>(schema: z.ZodType<T>, text: string, source: string, problems: string[]): T | null {
	let value: unknown;
	try {
		value = parseJsonText(text, source, 'bad-json');
	} catch (error) {
		problems.push(describeError(error));
		return null;
	}
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	problems.push(...describeIssues(result.error).map((issue) => `${source}: ${issue}`));
	return null;
}

function attempt<T>(parse: () => T, problems: string[]): T | null {
	try {
		return parse();
	} catch (error) {
		problems.push(describeError(error));
		return null;
	}
}

/** Validates the package in `dir` without throwing: every problem found is listed in the report. */
export async function validateExpertDir(dir: string): Promise<PackageReport> {
	const files = await readExpertPackageFiles(dir);
	const problems: string[] = [];
	const source = (name: string) => path.join(dir, name);
	let manifest: ExpertManifest | null = null;
	if (files.manifest === undefined) problems.push(`${dir}: no ${PACKAGE_FILES.manifest} (not an expert package)`);
	else manifest = checkJson(manifestSchema, files.manifest, source(PACKAGE_FILES.manifest), problems);
	let config: AdapterConfig | null = null;
	let weights: SafetensorsFile | null = null;
	if (files.adapterConfig !== undefined)
		config = checkJson(adapterConfigSchema, files.adapterConfig, source(PACKAGE_FILES.adapterConfig), problems);
	if (files.adapterWeights !== undefined) {
		const bytes = files.adapterWeights;
		weights = attempt(() => parseSafetensors(bytes, source(PACKAGE_FILES.adapterWeights)), problems);
	}
	const hasConfig = files.adapterConfig !== undefined;
	const hasWeights = files.adapterWeights !== undefined;
	if (hasConfig && !hasWeights)
		problems.push(`${dir}: has ${PACKAGE_FILES.adapterConfig} but no ${PACKAGE_FILES.adapterWeights}`);
	if (hasWeights && !hasConfig)
		problems.push(`${dir}: has ${PACKAGE_FILES.adapterWeights} but no ${PACKAGE_FILES.adapterConfig}`);
	if (config && weights) {
		problems.push(
			...findAdapterProblems(config, weights, manifest?.base_model).map(
				(problem) => `${source(PACKAGE_FILES.adapterWeights)}: ${problem}`
			)
		);
	}
	if (config && config.target_modules.length === 0 && (config.modules_to_save ?? []).length === 0) {
		problems.push(
			`${source(PACKAGE_FILES.adapterConfig)}: target_modules: must name at least one module (or modules_to_save a saved module)`
		);
	}
	if (config?.modules_to_save?.includes(LANGUAGE_HEAD_MODULE) && files.adapterWeights !== undefined) {
		const headConfig = await readFile(source(OPTIONAL_PACKAGE_FILES.headConfig), 'utf8').catch(() => null);
		const bytes = files.adapterWeights;
		if (headConfig === null)
			problems.push(
				`${source(OPTIONAL_PACKAGE_FILES.headConfig)}: missing (modules_to_save names ${LANGUAGE_HEAD_MODULE})`
			);
		else attempt(() => LanguageHead.fromFiles(headConfig, bytes, dir), problems);
	}
	if (files.metadata !== undefined) {
		const text = files.metadata;
		attempt(() => parseMetadata(text, source(PACKAGE_FILES.metadata)), problems);
	}
	const status: PackageStatus = problems.length > 0 ? 'invalid' : hasConfig ? 'valid' : 'manifest only';
	return {
		dir,
		name: manifest?.name ?? null,
		version: manifest?.version ?? null,
		status,
		tensors: weights ? weights.tensors.size : null,
		problems
	};
}
