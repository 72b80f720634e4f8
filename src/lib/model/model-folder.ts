// Reads a base model folder in the HF layout from disk (Node only): config.json (with generation_config.json's
// end-of-sequence ids when there is one), the tokenizer files and model.safetensors or the shards named by
// model.safetensors.index.json.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';
import { parseModelConfig, withGenerationConfig, type ModelConfig } from './config.ts';
import type { WeightFile } from './weights.ts';

export interface ModelFolder {
	dir: string;
	config: ModelConfig;
	configSource: string;
	weightFiles: WeightFile[];
}

async function isFile(file: string): Promise<boolean> {
	return stat(file).then(
		(s) => s.isFile(),
		() => false
	);
}

async function shardPaths(dir: string): Promise<string[]> {
	const single = path.join(dir, 'model.safetensors');
	if (await isFile(single)) return [single];
	const indexPath = path.join(dir, 'model.safetensors.index.json');
	if (!(await isFile(indexPath)))
		throw new ExpertError('missing-weights', `${dir}: no model.safetensors or model.safetensors.index.json`);
	let weightMap: unknown;
	try {
		weightMap = JSON.parse(await readFile(indexPath, 'utf8')).weight_map;
	} catch {
		throw new ExpertError('bad-weights-index', `${indexPath}: is not valid JSON`);
	}
	if (typeof weightMap !== 'object' || weightMap === null)
		throw new ExpertError('bad-weights-index', `${indexPath}: weight_map is missing`);
	const shards = [...new Set(Object.values(weightMap as Record<string, string>))].sort();
	for (const shard of shards) {
		if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\')) {
			throw new ExpertError(
				'bad-weights-index',
				`${indexPath}: shard name ${JSON.stringify(shard)} is not a plain file name`
			);
		}
	}
	return shards.map((shard) => path.join(dir, shard));
}

/** Reads config.json (and generation_config.json) and every weight file of `dir`; tokenizer files are checked to exist. */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
	const configSource = path.join(dir, 'config.json');
	if (!(await isFile(configSource)))
		throw new ExpertError('missing-model', `${dir}: no config.json (expected a Hugging Face model folder)`);
	const generationSource = path.join(dir, 'generation_config.json');
	const parsed = parseModelConfig(await readFile(configSource, 'utf8'), configSource);
	const config = (await isFile(generationSource))
		? withGenerationConfig(parsed, await readFile(generationSource, 'utf8'), generationSource)
		: parsed;
	for (const name of ['tokenizer.json', 'tokenizer_config.json']) {
		if (!(await isFile(path.join(dir, name)))) throw new ExpertError('missing-tokenizer', `${dir}: no ${name}`);
	}
	const weightFiles: WeightFile[] = [];
	for (const file of await shardPaths(dir)) {
		if (!(await isFile(file))) throw new ExpertError('missing-weights', `${file}: weight shard is missing`);
		weightFiles.push({ source: file, bytes: new Uint8Array(await readFile(file)) });
	}
	return { dir, config, configSource, weightFiles };
}
