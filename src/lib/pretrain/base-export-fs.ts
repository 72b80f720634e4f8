// Writes the shippable base model folder (Node only): config.json (fp16), generation_config.json, the
// tokenizer files and model.safetensors converted to fp16 — into a temp folder beside the target, then renamed.
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSafetensors, serializeSafetensors, tensorToFloat32, type TensorToWrite } from '../experts/safetensors.ts';

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

/** model.safetensors with every tensor stored as F16. */
export async function fp16Weights(fp32WeightsPath: string): Promise<Uint8Array> {
	const file = parseSafetensors(new Uint8Array(await readFile(fp32WeightsPath)), fp32WeightsPath);
	const tensors: Record<string, TensorToWrite> = {};
	for (const [name, view] of file.tensors)
		tensors[name] = { dtype: 'F16', shape: view.shape, data: tensorToFloat32(view) };
	return serializeSafetensors(tensors, { format: 'pt' });
}

/** A folder next to `target` holding the model files; the caller adds cards, then calls `publishFolder`. */
export async function writeModelFolder(
	target: string,
	options: { tokenizerDir: string; fp32WeightsPath: string; config: object; generationConfig: object }
): Promise<string> {
	const staging = `${target.replace(/[\\/]+$/, '')}.tmp-${process.pid}`;
	await rm(staging, { recursive: true, force: true });
	await mkdir(staging, { recursive: true });
	await writeFile(path.join(staging, 'config.json'), JSON.stringify(options.config, null, 2) + '\n');
	await writeFile(
		path.join(staging, 'generation_config.json'),
		JSON.stringify(options.generationConfig, null, 2) + '\n'
	);
	for (const name of TOKENIZER_FILES) await copyFile(path.join(options.tokenizerDir, name), path.join(staging, name));
	await writeFile(path.join(staging, 'model.safetensors'), await fp16Weights(options.fp32WeightsPath));
	return staging;
}

/** Replaces `target` with the staged folder (the old one is removed only after the new one is in place). */
export async function publishFolder(staging: string, target: string): Promise<void> {
	const previous = `${target.replace(/[\\/]+$/, '')}.old-${process.pid}`;
	await rm(previous, { recursive: true, force: true });
	await rename(target, previous).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== 'ENOENT') throw error;
	});
	await rename(staging, target);
	await rm(previous, { recursive: true, force: true });
}
