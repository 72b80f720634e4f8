// Node side of the classification session: the registry of an experts folder, its named expert sets
// (sets/*.json), a loader that reads a package's adapter (by `name@version`) checked against the base model,
// and one that reads the language head of a package that carries one.
import { readExpertSets } from '../experts/expert-set-fs.ts';
import type { ExpertSet } from '../experts/expert-set.ts';
import { readPackageManifests } from '../experts/package-fs.ts';
import type { ExpertManifest } from '../experts/manifest.ts';
import { ExpertError } from '../errors.ts';
import type { ModelConfig } from '../model/config.ts';
import { readAdapter } from '../runtime/adapter-files-fs.ts';
import type { LoadedAdapter } from '../runtime/adapter-weights.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LANGUAGE_HEAD_CONFIG_FILE, LANGUAGE_HEAD_FILE, LanguageHead } from './language-head.ts';

export interface ExpertFolder {
	registry: ExpertManifest[];
	/** Package folders left out (manifest does not parse), with the reason. */
	skipped: Array<{ dir: string; problem: string }>;
	/** Named expert sets by name. */
	sets: Map<string, ExpertSet>;
	/** Set files left out (do not parse, or named differently from their file), with the reason. */
	skippedSets: Array<{ file: string; problem: string }>;
	loadAdapter(id: string): Promise<LoadedAdapter>;
	loadLanguageHead(id: string): Promise<LanguageHead>;
}

/** Every package under `root`, and a loader for any of them by id. */
export async function openExpertFolder(root: string, config: ModelConfig): Promise<ExpertFolder> {
	const { packages, skipped } = await readPackageManifests(root);
	const { sets, skipped: skippedSets } = await readExpertSets(root);
	const packageDir = (id: string): string => {
		const found = packages.find((p) => `${p.manifest.name}@${p.manifest.version}` === id);
		if (!found) throw new ExpertError('unknown-expert', `expert ${id}: no package in ${root}`);
		return found.dir;
	};
	return {
		registry: packages.map((p) => p.manifest),
		skipped,
		sets,
		skippedSets,
		async loadAdapter(id) {
			return readAdapter(config, packageDir(id));
		},
		async loadLanguageHead(id) {
			const dir = packageDir(id);
			const configText = await readFile(path.join(dir, LANGUAGE_HEAD_CONFIG_FILE), 'utf8').catch(() => {
				throw new ExpertError(
					'bad-language-head',
					`${dir}/${LANGUAGE_HEAD_CONFIG_FILE}: missing (expert ${id} has no language head)`
				);
			});
			return LanguageHead.fromFiles(
				configText,
				new Uint8Array(await readFile(path.join(dir, LANGUAGE_HEAD_FILE))),
				dir
			);
		}
	};
}
