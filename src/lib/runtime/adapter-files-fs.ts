// Reads an expert package folder from disk (Node only, through the experts package reader) and checks its
// adapter against the loaded base model.
import { readExpertPackage } from '../experts/package-fs.ts';
import type { ModelConfig } from '../model/config.ts';
import { loadAdapterWeights, type LoadedAdapter } from './adapter-weights.ts';

/** Reads and checks the adapter in `dir` against `config`. */
export async function readAdapter(config: ModelConfig, dir: string): Promise<LoadedAdapter> {
	return loadAdapterWeights(config, await readExpertPackage(dir), dir);
}
