// How `expert classify` prints its rows as files finish: an aligned table, CSV or JSON lines at once, or one JSON
// document at the end; skipped files with the reason; the summary last. Also each answer's JSON form.
import type { ClassificationSummary } from '../lib/classify/classification-summary.ts';
import type { ClassifiedFile } from '../lib/classify/classify-files-fs.ts';
import type { SkippedInput } from '../lib/classify/file-inputs-fs.ts';
import { answerJson } from '../lib/classify/answer-json.ts';
import { DOCUMENT_TYPES } from '../lib/classify/taxonomy.ts';
import { csvLine } from './csv-line.ts';
import { printJson } from './run-cli.ts';

/** Where rows go as they finish. */
export interface RowPrinter {
	row(row: ClassifiedFile): void;
	skipped(skip: SkippedInput): void;
	end(summary: ClassificationSummary, rows: ClassifiedFile[], skipped: SkippedInput[], interrupted: boolean): void;
}

const HEADER = ['file', 'type', 'language', 'technologies', 'language evidence'];
const CSV_HEADER = [...HEADER, 'type evidence', 'technology evidence', 'experts'];
/** Fixed before the first row: the widest type; most language names (a longer one pushes its row's later cells). */
const TYPE_WIDTH = Math.max(...DOCUMENT_TYPES.map((type) => type.length));
const LANGUAGE_WIDTH = 24;

const cells = (row: ClassifiedFile) => [
	row.path,
	row.classification.type,
	row.classification.language,
	row.classification.technologies.join(' '),
	row.evidence.language
];
const csvCells = (row: ClassifiedFile) => [
	...cells(row),
	row.evidence.type,
	row.evidence.technologies.join('; '),
	row.experts.map((id) => id.split('@')[0]).join(' ')
];

/** "1 file classified, 2 skipped in 0.4 s": the summary line of the table and CSV outputs. */
function summaryLine(summary: ClassificationSummary, interrupted: boolean): string {
	const files = `${summary.classified} file${summary.classified === 1 ? '' : 's'} classified`;
	return `${interrupted ? 'interrupted: ' : ''}${files}, ${summary.skipped} skipped in ${summary.seconds} s`;
}

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
		row: (row) => write(answerJson(row)),
		skipped: (skip) => write({ ...skip, skipped: true }),
		end: (summary, _rows, _skipped, interrupted) => write({ summary: { ...summary, interrupted } })
	};
}

function jsonPrinter(): RowPrinter {
	return {
		row: () => {},
		skipped: () => {},
		end: (summary, rows, skipped, interrupted) =>
			printJson({ files: rows.map(answerJson), skipped, summary: { ...summary, interrupted } })
	};
}

/** A run's rows and skipped files, each printed as it comes. */
export function printedRun(printer: RowPrinter) {
	const rows: ClassifiedFile[] = [];
	const skipped: SkippedInput[] = [];
	return {
		rows,
		skipped,
		printer,
		add(outcome: { row: ClassifiedFile } | { skipped: SkippedInput }) {
			if ('row' in outcome) {
				rows.push(outcome.row);
				printer.row(outcome.row);
			} else {
				skipped.push(outcome.skipped);
				printer.skipped(outcome.skipped);
			}
		}
	};
}

/** The printer the output options ask for (`files`: the paths, to size the table's first column). */
export function rowPrinter(format: 'table' | 'csv' | 'jsonl' | 'json', files: string[]): RowPrinter {
	if (format === 'json') return jsonPrinter();
	if (format === 'jsonl') return jsonLinesPrinter();
	if (format === 'csv') return csvPrinter();
	return tablePrinter(files);
}
