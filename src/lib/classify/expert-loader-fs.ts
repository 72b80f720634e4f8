// Node side of the classification session: the registry of an experts folder, its named expert sets
// (sets/*.json) and a loader that reads a package's adapter (by `name@version`) checked against the base model.
import { readExpertSets } from '../experts/expert-set-fs.ts';
import type { ExpertSet } from '../experts/expert-set.ts';
import { readPackageManifests } from '../experts/package-fs.ts';
import type { ExpertManifest } from '../experts/manifest.ts';
import { ExpertError } from '../errors.ts';
import type { ModelConfig } from '../model/config.ts';
import { readAdapter } from '../runtime/adapter-files-node.ts';
import type { LoadedAdapter } from '../runtime/adapter-weights.ts';

export interface ExpertFolder {
	registry: ExpertManifest[];
	/** Package folders left out (manifest does not parse), with the reason. */
	skipped: Array<{ dir: string; problem: string }>;
	/** Named expert sets by name. */
	sets: Map<string, ExpertSet>;
	/** Set files left out (do not parse, or named differently from their file), with the reason. */
	skippedSets: Array<{ file: string; problem: string }>;
	loadAdapter(id: string): Promise<LoadedAdapter>;
}

/** Every package under `root`, and a loader for any of them by id. */
export async function openExpertFolder(root: string, config: ModelConfig): Promise<ExpertFolder> {
	const { packages, skipped } = await readPackageManifests(root);
	const { sets, skipped: skippedSets } = await readExpertSets(root);
	return {
		registry: packages.map((p) => p.manifest),
		skipped,
		sets,
		skippedSets,
		async loadAdapter(id) {
			const found = packages.find((p) => `${p.manifest.name}@${p.manifest.version}` === id);
			if (!found) throw new ExpertError('unknown-expert', `expert ${id}: no package in ${root}`);
			return readAdapter(config, found.dir);
		}
	};
}
