// Dependency-aware training: resolves the new expert's `requires` with the expert resolver against the
// packages the trainer knows (its data dir's packages/ and the repo's experts/) into frozen adapters
// for the worker, checked against the base model being trained on.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAdapterConfig } from '../lib/experts/adapter.ts';
import type { ExpertManifest } from '../lib/experts/manifest.ts';
import { readPackageManifests } from '../lib/experts/package-fs.ts';
import { resolveLoadPlan } from '../lib/experts/resolver.ts';
import { ExpertError } from '../lib/errors.ts';
import type { BaseModelInfo } from './base-models.ts';

export interface KnownExpert {
	dir: string;
	manifest: ExpertManifest;
}

/** A dependency as the worker loads it: a frozen LoRA adapter, always active. */
export interface FrozenDependency {
	name: string;
	version: string;
	weights: string;
	r: number;
	alpha: number;
}

/**
 * Expert packages under the given roots, earlier roots winning when the same name@version appears twice.
 * A package whose manifest does not parse is left out (`expert validate` reports it), so one broken
 * folder cannot block every training job.
 */
export async function scanKnownExperts(roots: string[]): Promise<KnownExpert[]> {
	const known = new Map<string, KnownExpert>();
	for (const root of roots.filter((candidate) => existsSync(candidate))) {
		for (const { dir, manifest } of (await readPackageManifests(root)).packages) {
			const key = `${manifest.name}@${manifest.version}`;
			if (!known.has(key)) known.set(key, { dir, manifest });
		}
	}
	return [...known.values()];
}

/** Resolves `requires` to frozen adapters in load order; every problem is a 4xx-worthy ExpertError. */
export function resolveDependencies(
	requires: string[],
	known: KnownExpert[],
	base: BaseModelInfo,
	field = 'manifest.constraints.requires'
): FrozenDependency[] {
	if (requires.length === 0) return [];
	let plan;
	try {
		const summary = { name: base.name, hidden_size: base.hidden_size, num_hidden_layers: base.num_hidden_layers };
		plan = resolveLoadPlan(
			requires,
			known.map((expert) => expert.manifest),
			{ base: summary }
		).plan;
	} catch (error) {
		throw new ExpertError('unresolved-dependency', `${field}: ${(error as Error).message.split('\n')[0]}`);
	}
	return plan.map((entry) => {
		const expert = known.find(
			(candidate) => candidate.manifest.name === entry.name && candidate.manifest.version === entry.version
		)!;
		const weights = path.join(expert.dir, 'adapter_model.safetensors');
		const configPath = path.join(expert.dir, 'adapter_config.json');
		if (!existsSync(weights) || !existsSync(configPath)) {
			throw new ExpertError(
				'unresolved-dependency',
				`dependency ${entry.name}@${entry.version} has no adapter weights to train on top of (manifest only)`
			);
		}
		const adapterConfig = parseAdapterConfig(readFileSync(configPath, 'utf8'), configPath);
		return { name: entry.name, version: entry.version, weights, r: adapterConfig.r, alpha: adapterConfig.lora_alpha };
	});
}
