// Options shared by the commands that run a base model (generate, logits): model folder (the embedded base by
// default, as classify), experts, precision and threads, and their conversion into a loaded model with an active expert set.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { REPO_ROOT } from '../../lib/datasets/corpus-fs.ts';
import { ExpertError } from '../../lib/errors.ts';
import type { WeightPrecision } from '../../lib/model/quantize.ts';
import { parseExpertRefs } from '../../lib/runtime/expert-refs.ts';
import { loadExperts, loadBaseModel } from '../../lib/runtime/load-fs.ts';
import type { LoadedModel } from '../../lib/runtime/model-runtime.ts';

export interface ModelCommandOptions {
	model: string;
	experts?: string;
	expertsDir: string;
	precision: WeightPrecision;
	threads?: string;
}

/** The embedded base and the shipped experts: what every command that runs the model uses unless told otherwise. */
export const DEFAULT_MODEL_DIR = path.join(REPO_ROOT, 'static/models/expert-base-tiny');
export const DEFAULT_EXPERTS_DIR = path.join(REPO_ROOT, 'experts');

export function addModelOptions(command: Command): Command {
	return command
		.option(
			'--model <dir|url>',
			'base model folder or http(s) URL (HF layout: config.json, tokenizer.json, model.safetensors); default: the embedded base',
			DEFAULT_MODEL_DIR
		)
		.option(
			'--experts <list>',
			'experts to stack, "name[:weight],…" or none (the default): a name under --experts-dir brings the experts it requires (weight 1), as classify does; a package folder path is loaded alone'
		)
		.option('--experts-dir <dir>', 'folder holding <name>-v<major>/ expert packages', DEFAULT_EXPERTS_DIR)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.option('--threads <n>', 'CPU threads for ONNX Runtime (default: all)');
}

function parseThreads(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const threads = Number(text);
	if (!Number.isInteger(threads) || threads < 1)
		throw new ExpertError('bad-option', `--threads must be a positive integer, got ${text}`);
	return threads;
}

/** Loads the model, then reads and checks all experts before activating them as one set. */
export async function loadModelWithExperts(
	options: ModelCommandOptions
): Promise<LoadedModel & { expertIds: string[] }> {
	const refs = options.experts?.trim() === 'none' ? [] : parseExpertRefs(options.experts);
	const loaded = await loadBaseModel(options.model, {
		precision: options.precision,
		threads: parseThreads(options.threads)
	});
	const experts = await loadExperts(loaded.runtime, refs, options.expertsDir);
	await loaded.runtime.activate(experts);
	return { ...loaded, expertIds: experts.map((e) => `${e.adapter.id}:${e.weight}`) };
}
