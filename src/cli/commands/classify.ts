// `expert classify`: classifies files and folders with the base model and the document-classifier stack, printing
// a table (or --json / --csv), a progress bar on long runs, and a summary; bad files are reported, not fatal.
import { nodeLinguistHeuristics } from '../../lib/classify/linguist-heuristics-fs.ts';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import path from 'node:path';
import { ClassificationSession, type ClassifiedDocument } from '../../lib/classify/classification-session.ts';
import { openExpertFolder } from '../../lib/classify/expert-loader-fs.ts';
import { parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { collectFiles, isSkipped, readInput, type SkippedInput } from '../../lib/classify/file-inputs-fs.ts';
import { REPO_ROOT } from '../../lib/datasets/corpus-fs.ts';
import { ExpertError } from '../../lib/errors.ts';
import { median } from '../../lib/median.ts';
import type { WeightPrecision } from '../../lib/model/quantize.ts';
import { loadBaseModel } from '../../lib/runtime/load-node.ts';
import type { NodeBackend } from '../../lib/runtime/host-node.ts';
import { integerOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';
import { formatCsv, formatTable } from '../text-table.ts';

interface ClassifyOptions {
	model: string;
	experts: string;
	expertsDir: string;
	precision: WeightPrecision;
	backend: NodeBackend;
	threads?: number;
	maxFileMb: number;
	json?: boolean;
	csv?: boolean;
}

interface ClassifiedRow extends ClassifiedDocument {
	path: string;
}

export const DEFAULT_MODEL_DIR = path.join(REPO_ROOT, 'static/models/expert-base-tiny');
export const DEFAULT_EXPERTS_DIR = path.join(REPO_ROOT, 'experts');

async function loadSession(options: ClassifyOptions): Promise<ClassificationSession> {
	const { runtime, tokenizer } = await loadBaseModel(options.model, { precision: options.precision, threads: options.threads, backend: options.backend }).catch((error) => {
		if (options.backend === 'webgpu' && /adapter/i.test(String(error?.message))) {
			throw new ExpertError('no-webgpu', 'no WebGPU adapter on this machine (onnxruntime-node found none); use --backend cpu, or the web app');
		}
		throw error;
	});
	const experts = await openExpertFolder(options.expertsDir, runtime.config);
	return new ClassificationSession(runtime, tokenizer, experts.registry, experts.loadAdapter, nodeLinguistHeuristics());
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
		medianMsPerFile: Number(median(rows.map((r) => r.milliseconds)).toFixed(1)),
		languages: Object.fromEntries(countBy(rows, (r) => r.classification.language)),
		types: Object.fromEntries(countBy(rows, (r) => r.classification.type))
	};
}

const HEADER = ['file', 'type', 'language', 'technologies', 'language evidence'];
const cells = (row: ClassifiedRow) => [row.path, row.classification.type, row.classification.language, row.classification.technologies.join(' '), row.evidence.language];
const CSV_HEADER = [...HEADER, 'type evidence', 'technology evidence', 'experts'];
const csvCells = (row: ClassifiedRow) => [...cells(row), row.evidence.type, row.evidence.technologies.join('; '), row.experts.map((id) => id.split('@')[0]).join(' ')];

function printHuman(rows: ClassifiedRow[], skipped: SkippedInput[], summary: ReturnType<typeof summaryOf>): void {
	process.stdout.write(formatTable(HEADER, rows.map(cells)));
	for (const skip of skipped) process.stdout.write(`skipped ${skip.path}: ${skip.problem}\n`);
	const languages = Object.entries(summary.languages).map(([language, count]) => `${language} ${count}`).join(', ');
	process.stdout.write(
		`\n${summary.classified} files classified, ${summary.skipped} skipped in ${summary.seconds} s (median ${summary.medianMsPerFile} ms per file)\n` +
			(languages ? `languages: ${languages}\n` : '')
	);
}

async function classifyCommand(paths: string[], options: ClassifyOptions): Promise<void> {
	if (options.json && options.csv) throw new ExpertError('bad-option', '--json and --csv cannot be combined');
	const selection = parseExpertSelection(options.experts);
	const files = await collectFiles(paths);
	if (files.length === 0) throw new ExpertError('no-input', `no files under ${paths.join(', ')}`);
	const session = await loadSession(options);
	const started = performance.now();
	const showBar = process.stderr.isTTY && files.length > 1;
	const bar = new SingleBar({ format: 'classifying [{bar}] {value}/{total} files | {file}', stream: process.stderr, hideCursor: true });
	if (showBar) bar.start(files.length, 0, { file: '' });
	const rows: ClassifiedRow[] = [];
	const skipped: SkippedInput[] = [];
	for (const file of files) {
		const input = await readInput(file, options.maxFileMb * 2 ** 20);
		if (isSkipped(input)) skipped.push(input);
		else rows.push({ path: input.path, ...(await session.classify(input, selection)) });
		if (showBar) bar.increment({ file: path.basename(file) });
	}
	if (showBar) bar.stop();
	const summary = summaryOf(rows, skipped, (performance.now() - started) / 1000);
	if (options.json) {
		printJson({
			files: rows.map((row) => ({ path: row.path, ...row.classification, evidence: row.evidence, experts: row.experts, languageCandidates: row.languageCandidates, ms: Number(row.milliseconds.toFixed(1)) })),
			skipped,
			summary
		});
	} else if (options.csv) process.stdout.write(formatCsv(CSV_HEADER, rows.map(csvCells)));
	else printHuman(rows, skipped, summary);
}

export function registerClassifyCommand(program: Command): void {
	program
		.command('classify')
		.description("classify files (type, language, technologies): GitHub Linguist's evidence chain first, the base model with the document-classifier stack for what it leaves open; every answer says why")
		.argument('<paths...>', 'files and folders (folders are walked; hidden folders and node_modules skipped)')
		.option('--model <dir|url>', 'base model folder or http(s) URL', DEFAULT_MODEL_DIR)
		.option('--experts <auto|none|a,b>', 'auto: document-classifier and its dependencies; none: the bare base model; or expert names (dependencies added)', 'auto')
		.option('--experts-dir <dir>', 'folder of expert packages', DEFAULT_EXPERTS_DIR)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.addOption(new Option('--backend <b>', 'ONNX Runtime execution provider').choices(['cpu', 'webgpu']).default('cpu'))
		.option('--threads <n>', 'CPU threads (default: all)', integerOption(1))
		.option('--max-file-mb <n>', 'skip files larger than this', integerOption(1), 16)
		.option('--json', 'print rows and summary as JSON')
		.option('--csv', 'print rows as CSV')
		.addHelpText('after', '\nExamples:\n  expert classify src/ README.md\n  expert classify --experts none --json notes/\n')
		.action(classifyCommand);
}
