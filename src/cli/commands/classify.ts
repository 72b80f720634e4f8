// `expert classify`: classifies files and folders (Linguist's evidence first, then the base model with the
// document-classifier stack), printing each row as its file finishes (table, CSV or --jsonl; --json at the end) and
// a summary; bad files are reported, not fatal, and Ctrl-C keeps every row already printed. --breakdown reads
// folders as repositories (classify-breakdown.ts).
import type { Command } from 'commander';
import { openClassificationSession, type SessionOptions } from '../../lib/classify/classification-session-fs.ts';
import { classificationSummary } from '../../lib/classify/classification-summary.ts';
import { classifyEach } from '../../lib/classify/classify-files-fs.ts';
import { parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { STDIN_PATH } from '../../lib/classify/file-inputs-fs.ts';
import { ExpertError } from '../../lib/errors.ts';
import { classifyInputs, readsStdin } from '../classify-inputs.ts';
import { addClassifyOptions } from '../classify-options.ts';
import { printedRun, rowPrinter } from '../classify-printers.ts';
import { fileProgress } from '../file-progress.ts';
import { interruptible } from '../interruptible.ts';
import { warnSkippedPackages, warnSkippedSets } from '../package-warnings.ts';
import { breakdownCommand, checkBreakdownRequest } from './classify-breakdown.ts';

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
	const bar = fileProgress((total) => process.stderr.isTTY && !process.stdout.isTTY && format !== 'csv' && total > 1);
	bar.start(files.length);
	const started = performance.now();
	const given = stdinInput ? [stdinInput, ...files] : files;
	const interrupted = await interruptible(async (isInterrupted) => {
		try {
			for await (const outcome of classifyEach(session, selection, given, maxFileBytes, isInterrupted)) {
				run.add(outcome);
				bar.tick();
			}
		} finally {
			bar.stop();
		}
		return isInterrupted();
	});
	const seconds = (performance.now() - started) / 1000;
	run.printer.end(classificationSummary(run.rows, run.skipped.length, seconds), run.rows, run.skipped, interrupted);
	if (interrupted) process.exitCode = 130;
}

export function registerClassifyCommand(program: Command): void {
	addClassifyOptions(
		program
			.command('classify')
			.description(
				"classify files (type, language, technologies): GitHub Linguist's evidence chain first, the base model with the document-classifier stack for what it leaves open; every answer says why"
			)
	).action(classifyCommand);
}
