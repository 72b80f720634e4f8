// `expert classify`: classifies files and folders (Linguist's evidence first, then the base model with the
// document-classifier stack), printing each row as its file finishes (table, CSV or --jsonl; --json at the end) and
// a summary; bad files are reported, not fatal, and Ctrl-C keeps every row already printed. --breakdown reads
// folders as repositories (classify-breakdown.ts).
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { openClassificationSession, type SessionOptions } from '../../lib/classify/classification-session-fs.ts';
import { classificationSummary } from '../../lib/classify/classification-summary.ts';
import { classifyEach } from '../../lib/classify/classify-files-fs.ts';
import { parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../lib/classify/file-input-policy.ts';
import { STDIN_PATH } from '../../lib/classify/file-inputs-fs.ts';
import { ExpertError } from '../../lib/errors.ts';
import { classifyInputs, readsStdin } from '../classify-inputs.ts';
import { printedRun, rowPrinter } from '../classify-printers.ts';
import { interruptible } from '../interruptible.ts';
import { integerOption } from '../numeric-option.ts';
import { warnSkippedPackages, warnSkippedSets } from '../package-warnings.ts';
import { breakdownCommand, checkBreakdownRequest } from './classify-breakdown.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './model-options.ts';

interface ClassifyOptions extends SessionOptions {
	experts: string;
	maxFileMb: number;
	json?: boolean;
	jsonl?: boolean;
	csv?: boolean;
	stdin?: boolean;
	name?: string;
	breakdown?: boolean;
}

async function classifyCommand(paths: string[], options: ClassifyOptions): Promise<void> {
	if ([options.json, options.csv, options.jsonl].filter(Boolean).length > 1)
		throw new ExpertError('bad-option', '--json, --jsonl and --csv cannot be combined');
	const selection = parseExpertSelection(options.experts);
	const fromStdin = readsStdin(paths, options.stdin);
	if (options.name !== undefined && !fromStdin)
		throw new ExpertError('bad-option', '--name names standard input: use it with - or --stdin');
	const maxFileBytes = options.maxFileMb * 2 ** 20;
	const unsupported = Boolean(options.csv || options.jsonl || fromStdin || options.name !== undefined);
	if (options.breakdown) await checkBreakdownRequest(paths, unsupported);
	const inputs = options.breakdown ? null : await classifyInputs(paths, { ...options, maxFileBytes });
	const { session, skippedPackages, skippedSets } = await openClassificationSession(options);
	warnSkippedPackages(skippedPackages);
	warnSkippedSets(skippedSets);
	await session.prepare(selection); // an expert that cannot load (bad weights, wrong base) ends the run here, in one line
	if (!inputs) return breakdownCommand(paths, session, selection, { maxFileBytes, json: options.json });

	const { files, problems, stdinInput } = inputs;
	const format = options.json ? 'json' : options.jsonl ? 'jsonl' : options.csv ? 'csv' : 'table';
	const run = printedRun(rowPrinter(format, stdinInput ? [STDIN_PATH, ...files] : files));
	problems.forEach((skipped) => run.add({ skipped }));
	// Rows stream to stdout; the bar is for runs whose stdout goes elsewhere (a file, a pipe), except CSV's.
	const showBar = process.stderr.isTTY && !process.stdout.isTTY && format !== 'csv' && files.length > 1;
	const bar = new SingleBar({
		format: 'classifying [{bar}] {value}/{total} files',
		stream: process.stderr,
		hideCursor: true
	});
	if (showBar) bar.start(files.length, 0);
	const started = performance.now();
	const given = stdinInput ? [stdinInput, ...files] : files;
	const interrupted = await interruptible(async (isInterrupted) => {
		try {
			for await (const outcome of classifyEach(session, selection, given, maxFileBytes, isInterrupted)) {
				run.add(outcome);
				if (showBar) bar.increment();
			}
		} finally {
			if (showBar) bar.stop();
		}
		return isInterrupted();
	});
	const seconds = (performance.now() - started) / 1000;
	run.printer.end(classificationSummary(run.rows, run.skipped.length, seconds), run.rows, run.skipped, interrupted);
	if (interrupted) process.exitCode = 130;
}

export function registerClassifyCommand(program: Command): void {
	program
		.command('classify')
		.description(
			"classify files (type, language, technologies): GitHub Linguist's evidence chain first, the base model with the document-classifier stack for what it leaves open; every answer says why"
		)
		.argument(
			'[paths...]',
			'files and folders (folders are walked; hidden folders and node_modules skipped); - reads standard input (a pasted snippet)'
		)
		.option('--model <dir|url>', 'base model folder or http(s) URL', DEFAULT_MODEL_DIR)
		.option(
			'--experts <auto|none|@set|a,b>',
			"auto: document-classifier and its dependencies (the @auto set's tuned weights, and the routed experts it measured to help, when experts/sets/auto.json exists); @name: a named expert set (expert tune writes them); none: the bare base model; or expert names (dependencies added)",
			'auto'
		)
		.option('--experts-dir <dir>', 'folder of expert packages', DEFAULT_EXPERTS_DIR)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.addOption(new Option('--backend <b>', 'ONNX Runtime execution provider').choices(['cpu', 'webgpu']).default('cpu'))
		.option('--threads <n>', 'CPU threads (default: all)', integerOption(1))
		.option('--max-file-mb <n>', 'skip files larger than this', integerOption(1), DEFAULT_MAX_FILE_BYTES / 2 ** 20)
		.option('--stdin', 'classify standard input (the same as the path -)')
		.option(
			'--name <file name>',
			'a file name for standard input, for the evidence chain (without it, content alone decides)'
		)
		.option(
			'--breakdown',
			"read each folder as a repository: GitHub's language bar (bytes per language, programming and markup), the rest apart, and every vendored, generated, documentation or .gitignore'd file left out with the reason (.gitattributes linguist-* attributes honoured); --json for linguist-js's shape with every file's answer"
		)
		.option('--json', 'print rows and summary as one JSON document at the end')
		.option('--jsonl', 'print one JSON object per file as it finishes, the summary last')
		.option('--csv', 'print rows as CSV as files finish (skipped files and the summary on stderr)')
		.addHelpText(
			'after',
			'\nRows are printed as files finish; Ctrl-C stops after the current file, keeps every printed row, prints the summary and exits 130.\n\nModel answers give the top three languages with calibrated probabilities (--json: languageRanking) and say "uncertain" below 0.5.\n\nExamples:\n  expert classify src/ README.md\n  pbpaste | expert classify -\n  expert classify --stdin --name Makefile < snippet.txt\n  expert classify --jsonl big-folder/ > answers.jsonl\n  expert classify --experts none --json notes/\n  expert classify my-repo/ --breakdown\n'
		)
		.action(classifyCommand);
}
