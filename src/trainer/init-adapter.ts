// Continuing training from an existing expert (e.g. DPO on top of its own SFT adapter): finds the job's
// `init_adapter` package in the trainer's expert roots (as name@version, or as a folder inside one of them),
// checks that it fits the job (same base model, r, lora_alpha, target_modules) and reads its weights.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ExpertError, type ErrorCode } from '../lib/errors.ts';
import { parseAdapterConfig, type AdapterConfig } from '../lib/experts/adapter.ts';
import { EXPERT_NAME_PATTERN, parseManifest, type ExpertManifest } from '../lib/experts/manifest.ts';
import { PACKAGE_FILES } from '../lib/experts/package.ts';
import type { BaseModelInfo } from './base-models.ts';
import type { KnownExpert } from './dependencies.ts';

/** The adapter a job starts from: its identity, its weights file's bytes and their sha-256. */
export interface InitAdapter {
	name: string;
	version: string;
	weights: Buffer;
	sha256: string;
}

/** The job fields an init adapter has to match. */
export interface InitAdapterFit {
	r: number;
	alpha: number;
	target_modules: string[];
}

const SEMVER = /^\d+\.\d+\.\d+$/;

function fail(code: ErrorCode, message: string): never {
	throw new ExpertError(code, `init_adapter: ${message}`);
}

/** `name@1.2.0` as a known package's folder, or null when `reference` is not written that way. */
function findByReference(reference: string, known: KnownExpert[]): string | null {
	const at = reference.lastIndexOf('@');
	const [name, version] = [reference.slice(0, at), reference.slice(at + 1)];
	if (at <= 0 || !EXPERT_NAME_PATTERN.test(name) || !SEMVER.test(version)) return null;
	const expert = known.find((candidate) => candidate.manifest.name === name && candidate.manifest.version === version);
	if (!expert) fail('unknown-init-adapter', `no package ${reference} in the trainer's expert roots`);
	return expert.dir;
}

/** A folder given by path (absolute, or relative to a root), accepted only when it really lies inside one of `roots`. */
function findByFolder(requested: string, roots: string[]): string {
	if (requested.includes('\0') || requested.split(/[\\/]/).includes('..'))
		fail('path-escape', `"${requested}" must be a plain path without ".."`);
	for (const root of roots.filter((candidate) => existsSync(candidate))) {
		const realRoot = realpathSync(root);
		const candidate = path.resolve(realRoot, requested);
		if (!existsSync(path.join(candidate, PACKAGE_FILES.manifest))) continue;
		const real = realpathSync(candidate);
		if (real.startsWith(realRoot + path.sep)) return real;
	}
	return fail(
		'unknown-init-adapter',
		`"${requested}" is not an expert package folder inside the trainer's expert roots`
	);
}

function readPackage(dir: string): { manifest: ExpertManifest; config: AdapterConfig; weightsPath: string } {
	const configPath = path.join(dir, PACKAGE_FILES.adapterConfig);
	const weightsPath = path.join(dir, PACKAGE_FILES.adapterWeights);
	const manifest = parseManifest(
		readFileSync(path.join(dir, PACKAGE_FILES.manifest), 'utf8'),
		path.join(dir, PACKAGE_FILES.manifest)
	);
	if (!existsSync(configPath) || !existsSync(weightsPath))
		fail(
			'unknown-init-adapter',
			`${manifest.name}@${manifest.version} has no adapter weights to start from (manifest only)`
		);
	return { manifest, config: parseAdapterConfig(readFileSync(configPath, 'utf8'), configPath), weightsPath };
}

/** The first way the package does not fit the job, as a sentence, or null when it fits. */
function mismatch(
	manifest: ExpertManifest,
	config: AdapterConfig,
	fit: InitAdapterFit,
	base: BaseModelInfo
): string | null {
	const label = `${manifest.name}@${manifest.version}`;
	const declared = manifest.base_model ?? {
		name: config.base_model_name_or_path,
		hidden_size: base.hidden_size,
		num_hidden_layers: base.num_hidden_layers
	};
	if (
		declared.name !== base.name ||
		declared.hidden_size !== base.hidden_size ||
		declared.num_hidden_layers !== base.num_hidden_layers
	) {
		return `${label} is for base model ${declared.name} (hidden ${declared.hidden_size}, ${declared.num_hidden_layers} layers), the job trains ${base.name} (hidden ${base.hidden_size}, ${base.num_hidden_layers} layers)`;
	}
	if (config.r !== fit.r) return `${label} has r=${config.r}, the job has r=${fit.r}`;
	if (config.lora_alpha !== fit.alpha)
		return `${label} has lora_alpha=${config.lora_alpha}, the job has alpha=${fit.alpha}`;
	const sorted = (modules: string[]) => [...modules].sort().join(',');
	if (sorted(config.target_modules) !== sorted(fit.target_modules)) {
		return `${label} targets ${config.target_modules.join(',')}, the job targets ${fit.target_modules.join(',')}`;
	}
	return null;
}

/** Finds, checks and reads the init adapter; every problem is a one-line, 4xx-worthy ExpertError. */
export function resolveInitAdapter(
	reference: string,
	known: KnownExpert[],
	roots: string[],
	fit: InitAdapterFit,
	base: BaseModelInfo
): InitAdapter {
	const dir = findByReference(reference, known) ?? findByFolder(reference, roots);
	const { manifest, config, weightsPath } = readPackage(dir);
	const problem = mismatch(manifest, config, fit, base);
	if (problem) fail('init-adapter-mismatch', problem);
	const weights = readFileSync(weightsPath);
	return {
		name: manifest.name,
		version: manifest.version,
		weights,
		sha256: createHash('sha256').update(weights).digest('hex')
	};
}
