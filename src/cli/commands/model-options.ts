// Options shared by the commands that run a base model (generate, logits): model folder, experts,
// precision and threads, and their conversion into a loaded model with an active expert set.
import { Option, type Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import type { WeightPrecision } from '../../lib/model/quantize.ts';
import { parseExpertRefs } from '../../lib/runtime/expert-refs.ts';
import { loadExperts, loadBaseModel } from '../../lib/runtime/load-node.ts';
import type { LoadedModel } from '../../lib/runtime/model-runtime.ts';

export interface ModelCommandOptions {
	model: string;
	experts?: string;
	expertsDir: string;
	precision: WeightPrecision;
	threads?: string;
}

export function addModelOptions(command: Command): Command {
	return command
		.requiredOption('--model <dir|url>', 'base model folder or http(s) URL (HF layout: config.json, tokenizer.json, model.safetensors)')
		.option('--experts <list>', 'experts to stack, "name[:weight],…" (a name under --experts-dir or a package folder)')
		.option('--experts-dir <dir>', 'folder holding <name>-v<major>/ expert packages', 'experts')
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.option('--threads <n>', 'CPU threads for ONNX Runtime (default: all)');
}

function parseThreads(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	const threads = Number(text);
	if (!Number.isInteger(threads) || threads < 1) throw new ExpertError('bad-option', `--threads must be a positive integer, got ${text}`);
	return threads;
}

/** Loads the model, then reads and checks all experts before activating them as one set. */
export async function loadModelWithExperts(options: ModelCommandOptions): Promise<LoadedModel & { expertIds: string[] }> {
	const refs = parseExpertRefs(options.experts);
	const loaded = await loadBaseModel(options.model, { precision: options.precision, threads: parseThreads(options.threads) });
	const experts = await loadExperts(loaded.runtime, refs, options.expertsDir);
	await loaded.runtime.activate(experts);
	return { ...loaded, expertIds: experts.map((e) => `${e.adapter.id}:${e.weight}`) };
}
