// `expert classify`: classifies files and folders (Linguist's evidence first, then the base model with the
// document-classifier stack), printing each row as its file finishes (table, CSV or --jsonl; --json at the end) and
// a summary; bad files are reported, not fatal, and Ctrl-C keeps every row already printed.
import { nodeLinguistHeuristics } from '../../lib/classify/linguist-heuristics-fs.ts';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import path from 'node:path';
import { ClassificationSession, type ClassifiedDocument } from '../../lib/classify/classification-session.ts';
import { openExpertFolder } from '../../lib/classify/expert-loader-fs.ts';
import { parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../lib/classify/file-input-policy.ts';
import {
	collectFiles,
	isSkipped,
	readInput,
	readStdinInput,
	STDIN_PATH,
	type ReadableInput,
	type SkippedInput
} from '../../lib/classify/file-inputs-fs.ts';
import { describeError, ExpertError, isExpertError } from '../../lib/errors.ts';
import { median } from '../../lib/median.ts';
import type { WeightPrecision } from '../../lib/model/quantize.ts';
import { loadBaseModel } from '../../lib/runtime/load-fs.ts';
import type { NodeBackend } from '../../lib/runtime/host-fs.ts';
import { integerOption } from '../numeric-option.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './model-options.ts';
import { warnSkippedPackages, warnSkippedSets } from '../package-warnings.ts';
import { printJson } from '../run-cli.ts';
import { csvLine } from '../csv-line.ts';
import { DOCUMENT_TYPES } from '../../lib/classify/taxonomy.ts';
import { printBreakdownJson, printBreakdownTable, runBreakdown } from './classify-breakdown.ts';
import { stat } from 'node:fs/promises';

interface ClassifyOptions {
	model: string;
	experts: string;
	expertsDir: string;
	precision: WeightPrecision;
	backend: NodeBackend;
	threads?: number;
	maxFileMb: number;
	json?: boolean;
	jsonl?: boolean;
	csv?: boolean;
	stdin?: boolean;
	name?: string;
	breakdown?: boolean;
}

interface ClassifiedRow extends ClassifiedDocument {
	path: string;
}

async function loadSession(options: ClassifyOptions): Promise<ClassificationSession> {
	const { runtime, tokenizer } = await loadBaseModel(options.model, {
		precision: options.precision,
		threads: options.threads,
		backend: options.backend
	}).catch((error) => {
		if (options.backend === 'webgpu' && /adapter/i.test(String(error?.message))) {
			throw new ExpertError(
				'no-webgpu',
				'no WebGPU adapter on this machine (onnxruntime-node found none); use --backend cpu, or the web app'
			);
		}
		throw error;
	});
	const experts = await openExpertFolder(options.expertsDir, runtime.config);
	warnSkippedPackages(experts.skipped);
	warnSkippedSets(experts.skippedSets);
	return new ClassificationSession(
		runtime,
		tokenizer,
		experts.registry,
		experts.loadAdapter,
		nodeLinguistHeuristics(),
		experts.sets,
		experts.loadLanguageHead
	);
}

function countBy(rows: ClassifiedRow[], key: (row: ClassifiedRow) => string): Array<[string, number]> {
	const counts = new Map<string, number>();
	for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function summaryOf(rows: ClassifiedRow[], skipped: SkippedInput[], seconds: number) {
	return {
		classified: rows.length,
		skipped: skipped.length,
		seconds: Number(seconds.toFixed(2)),
		/** null when nothing was classified. */
		medianMsPerFile: rows.length ? Number(median(rows.map((r) => r.milliseconds)).toFixed(1)) : null,
		languages: Object.fromEntries(countBy(rows, (r) => r.classification.language)),
		types: Object.fromEntries(countBy(rows, (r) => r.classification.type))
	};
}

const HEADER = ['file', 'type', 'language', 'technologies', 'language evidence'];

/** "1 file classified, 2 skipped in 0.4 s": the summary line of the table and CSV outputs. */
function summaryLine(summary: ReturnType<typeof summaryOf>, interrupted: boolean): string {
	const files = `${summary.classified} file${summary.classified === 1 ? '' : 's'} classified`;
	return `${interrupted ? 'interrupted: ' : ''}${files}, ${summary.skipped} skipped in ${summary.seconds} s`;
}
const cells = (row: ClassifiedRow) => [
	row.path,
	row.classification.type,
	row.classification.language,
	row.classification.technologies.join(' '),
	row.evidence.language
];
const CSV_HEADER = [...HEADER, 'type evidence', 'technology evidence', 'experts'];
const csvCells = (row: ClassifiedRow) => [
	...cells(row),
	row.evidence.type,
	row.evidence.technologies.join('; '),
	row.experts.map((id) => id.split('@')[0]).join(' ')
];
const jsonRow = (row: ClassifiedRow) => ({
	path: row.path,
	...row.classification,
	evidence: row.evidence,
	experts: row.experts,
	languageCandidates: row.languageCandidates,
	...(row.languageRanking
		? {
				languageRanking: row.languageRanking.map((r) => ({
					language: r.language,
					probability: Number(r.probability.toFixed(4))
				})),
				uncertain: row.uncertain
			}
		: {}),
	ms: Number(row.milliseconds.toFixed(1))
});

/** Where rows go as they finish: a table, CSV or JSON lines printed at once, or one JSON document at the end. */
interface RowPrinter {
	row(row: ClassifiedRow): void;
	skipped(skip: SkippedInput): void;
	end(
		summary: ReturnType<typeof summaryOf>,
		rows: ClassifiedRow[],
		skipped: SkippedInput[],
		interrupted: boolean
	): void;
}

/** Fixed before the first row: the widest type; most language names (a longer one pushes its row's later cells). */
const TYPE_WIDTH = Math.max(...DOCUMENT_TYPES.map((type) => type.length));
const LANGUAGE_WIDTH = 24;

/** Control characters in names (an ESC that would clear the screen) shown as escapes, for terminal output. */
const printable = (text: string) =>
	// eslint-disable-next-line no-control-regex -- these control characters are what it escapes
	text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const skippedLine = (skip: SkippedInput) => `skipped ${printable(skip.path)}: ${skip.problem}\n`;

function tablePrinter(files: string[]): RowPrinter {
	const widths = [
		Math.min(Math.max(4, ...files.map((file) => printable(file).length)), 60),
		TYPE_WIDTH,
		LANGUAGE_WIDTH,
		16
	];
	const line = (cells: string[]) =>
		cells
			.map((cell, column) => (column < widths.length ? printable(cell).padEnd(widths[column]) : printable(cell)))
			.join('  ')
			.trimEnd() + '\n';
	process.stdout.write(
		line(HEADER) + line(widths.map((width) => '-'.repeat(width)).concat('-'.repeat(HEADER[4].length)))
	);
	return {
		row: (row) => process.stdout.write(line(cells(row))),
		skipped: (skip) => process.stdout.write(skippedLine(skip)),
		end(summary, _rows, _skipped, interrupted) {
			const languages = Object.entries(summary.languages)
				.map(([language, count]) => `${language} ${count}`)
				.join(', ');
			process.stdout.write(
				`\n${summaryLine(summary, interrupted)}${summary.medianMsPerFile === null ? '' : ` (median ${summary.medianMsPerFile} ms per file)`}\n` +
					(languages ? `languages: ${languages}\n` : '')
			);
		}
	};
}

function csvPrinter(): RowPrinter {
	process.stdout.write(csvLine(CSV_HEADER));
	return {
		row: (row) => process.stdout.write(csvLine(csvCells(row))),
		skipped: (skip) => process.stderr.write(skippedLine(skip)),
		end: (summary, _rows, _skipped, interrupted) => process.stderr.write(`${summaryLine(summary, interrupted)}\n`)
	};
}

function jsonLinesPrinter(): RowPrinter {
	const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
	return {
		row: (row) => write(jsonRow(row)),
		skipped: (skip) => write({ ...skip, skipped: true }),
		end: (summary, _rows, _skipped, interrupted) => write({ summary: { ...summary, interrupted } })
	};
}

function jsonPrinter(): RowPrinter {
	return {
		row: () => {},
		skipped: () => {},
		end: (summary, rows, skipped, interrupted) =>
			printJson({ files: rows.map(jsonRow), skipped, summary: { ...summary, interrupted } })
	};
}

async function classifyCommand(paths: string[], options: ClassifyOptions): Promise<void> {
	if ([options.json, options.csv, options.jsonl].filter(Boolean).length > 1)
		throw new ExpertError('bad-option', '--json, --jsonl and --csv cannot be combined');
	const selection = parseExpertSelection(options.experts);
	const fromStdin = options.stdin === true || paths.includes(STDIN_PATH);
	if (!fromStdin && paths.length === 0)
		throw new ExpertError(
			'no-input',
			'nothing to classify: give files or folders, or - (or --stdin) to read standard input'
		);
	if (options.name !== undefined && !fromStdin)
		throw new ExpertError('bad-option', '--name names standard input: use it with - or --stdin');
	if (fromStdin && process.stdin.isTTY)
		throw new ExpertError(
			'no-input',
			'standard input is a terminal: pipe the text in (expert classify - < snippet.txt, or pbpaste | expert classify -)'
		);
	if (options.breakdown) return breakdownCommand(paths, options, selection);
	const filePaths = paths.filter((p) => p !== STDIN_PATH);
	const { files, problems } = filePaths.length > 0 ? await collectFiles(filePaths) : { files: [], problems: [] };
	if (!fromStdin && files.length === 0 && problems.length === 0)
		throw new ExpertError('no-input', `no files under ${paths.join(', ')}`);
	const stdinInput: ReadableInput | SkippedInput | null = fromStdin
		? await readStdinInput(process.stdin, options.name ?? '', options.maxFileMb * 2 ** 20)
		: null;
	if (stdinInput && isSkipped(stdinInput) && filePaths.length === 0)
		throw new ExpertError('bad-input', `standard input: ${stdinInput.problem}`);
	const session = await loadSession(options);
	await session.prepare(selection); // an expert that cannot load (bad weights, wrong base) ends the run here, in one line
	let interrupted = false;
	const onInterrupt = () => (interrupted = true);
	process.once('SIGINT', onInterrupt);
	const started = performance.now();
	// Rows stream to stdout as files finish; the bar is for runs whose stdout goes elsewhere (a file, a pipe),
	// except CSV, whose skipped files and summary go to stderr.
	const showBar = process.stderr.isTTY && !process.stdout.isTTY && !options.csv && files.length > 1;
	const bar = new SingleBar({
		format: 'classifying [{bar}] {value}/{total} files | {file}',
		stream: process.stderr,
		hideCursor: true
	});
	if (showBar) bar.start(files.length, 0, { file: '' });
	const printer = options.json
		? jsonPrinter()
		: options.jsonl
			? jsonLinesPrinter()
			: options.csv
				? csvPrinter()
				: tablePrinter(fromStdin ? [STDIN_PATH, ...files] : files);
	const rows: ClassifiedRow[] = [];
	const skipped: SkippedInput[] = [...problems];
	for (const problem of problems) printer.skipped(problem);
	const inputs: Array<string | ReadableInput | SkippedInput> = stdinInput ? [stdinInput, ...files] : files;
	try {
		for (const file of inputs) {
			if (interrupted) break;
			const input = typeof file === 'string' ? await readInput(file, options.maxFileMb * 2 ** 20) : file;
			if (isSkipped(input)) {
				skipped.push(input);
				printer.skipped(input);
			} else {
				const row = await session.classify(input, selection).then(
					(answer) => ({ path: input.path, ...answer }),
					(error: unknown) => {
						if (!isExpertError(error)) throw error;
						return { path: input.path, problem: `not classified (${describeError(error)})` };
					}
				);
				if ('problem' in row) {
					skipped.push(row);
					printer.skipped(row);
				} else {
					rows.push(row);
					printer.row(row);
				}
			}
			if (showBar) bar.increment({ file: path.basename(input.path) });
		}
	} finally {
		if (showBar) bar.stop();
		process.removeListener('SIGINT', onInterrupt);
	}
	printer.end(summaryOf(rows, skipped, (performance.now() - started) / 1000), rows, skipped, interrupted);
	if (interrupted) process.exitCode = 130;
}

async function breakdownCommand(
	paths: string[],
	options: ClassifyOptions,
	selection: ReturnType<typeof parseExpertSelection>
): Promise<void> {
	if (options.csv || options.jsonl || options.stdin || options.name !== undefined || paths.includes(STDIN_PATH))
		throw new ExpertError(
			'bad-option',
			'--breakdown reads folders: it takes neither standard input, --name, --csv nor --jsonl (use --json)'
		);
	if (paths.length === 0)
		throw new ExpertError('no-input', '--breakdown needs a folder: expert classify my-repo/ --breakdown');
	for (const given of paths) {
		const info = await stat(given).catch(() => null);
		if (!info) throw new ExpertError('missing-input', `${given}: no such folder`);
		if (!info.isDirectory())
			throw new ExpertError('bad-input', `${given}: --breakdown reads a folder (a repository), not a file`);
	}
	const session = await loadSession(options);
	await session.prepare(selection);
	let interrupted = false;
	const onInterrupt = () => (interrupted = true);
	process.once('SIGINT', onInterrupt);
	try {
		const run = await runBreakdown(paths, session, selection, options.maxFileMb * 2 ** 20, () => interrupted);
		if (options.json) printBreakdownJson(run, jsonRow);
		else printBreakdownTable(run);
		if (run.interrupted) process.exitCode = 130;
	} finally {
		process.removeListener('SIGINT', onInterrupt);
	}
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
