// `expert base build`: reproduces the embedded base model end to end (corpus -> tokenizer -> pre-training ->
// fp16 export with cards), printing each stage's progress; --json prints the build summary instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildBaseModel, type BaseBuildOptions } from '../../trainer/base-model-build.ts';
import { integerOption, numberOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The flags as commander gives them: the build's own settings, and the folders under the flags' names. */
type BaseBuildFlags = Omit<BaseBuildOptions, 'workDir' | 'corporaDir' | 'nodeModulesDir' | 'sampleFile'> & {
	work: string;
	corpora: string;
	sample: string;
	json?: boolean;
};

export function registerBaseCommand(program: Command): void {
	const base = program
		.command('base')
		.description('Build the embedded base model (expert-base-tiny) from real text and code on this machine.');
	base
		.command('build')
		.description(
			'Assemble the corpus, train the BPE tokenizer, pre-train the Qwen2-architecture model on CPU and export it (fp16 + cards). ' +
				'Stages whose output exists in --work are reused; pre-training resumes from its last checkpoint.'
		)
		.option('--out <dir>', 'model folder to publish', 'static/models/expert-base-tiny')
		.option('--work <dir>', 'work folder for the corpus, token files, checkpoints and logs', '.tmp/base-build')
		.option('--minutes <n>', 'pre-training time budget in minutes (the LR schedule spans it)', numberOption, 60)
		.option('--threads <n>', 'CPU threads for PyTorch', integerOption(1), 1)
		.option(
			'--nproc <n>',
			'pre-train on n processes under torchrun (gloo on CPU, NCCL on CUDA: one per GPU), the same weights as one',
			integerOption(1),
			1
		)
		.option('--vocab-size <n>', 'tokenizer size incl. 4 special tokens', integerOption(512), 4096)
		.option('--batch-size <n>', 'sequences per step', integerOption(1), 8)
		.option('--seq-len <n>', 'tokens per training sequence', integerOption(16), 256)
		.option('--lr <x>', 'peak learning rate', numberOption, 3e-3)
		.option('--warmup-steps <n>', 'linear warmup steps', integerOption(1), 40)
		.option('--corpora <dir>', 'the shared corpora (skipped when missing)', path.resolve(repoRoot, '../shared/corpora'))
		.option(
			'--sample <file>',
			'held-out text whose loss the model card records',
			path.join(repoRoot, 'tests/fixtures/base-model-heldout/stat.py.txt')
		)
		.option('--python <path>', 'interpreter with torch + numpy (default $EXPERT_PYTHON or /usr/bin/python3)')
		.option('--json', 'print the build summary as JSON')
		.action(async (flags: BaseBuildFlags) => {
			const corporaDir = existsSync(flags.corpora) ? flags.corpora : null;
			if (!corporaDir && !flags.json)
				process.stderr.write(`note: ${flags.corpora} not found; building from Debian and npm files only\n`);
			const summary = await buildBaseModel(
				{
					...flags,
					workDir: flags.work,
					corporaDir,
					nodeModulesDir: path.join(repoRoot, 'node_modules'),
					sampleFile: flags.sample
				},
				(stage, message) => process.stderr.write(`[${stage}] ${message}\n`)
			);
			if (flags.json) printJson(summary);
			else
				process.stdout.write(
					`${summary.name}: ${summary.parameters.toLocaleString('en-US')} parameters, ${summary.training.tokens.toLocaleString('en-US')} training tokens, ` +
						`held-out loss ${summary.heldout.loss.toFixed(3)} (perplexity ${summary.heldout.perplexity.toFixed(1)}) -> ${flags.out}\n`
				);
		});
}
