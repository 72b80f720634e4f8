// Classification results as files the user can keep: JSON (the rows as they are, and the skipped files)
// and CSV (RFC 4180 quoting, lists joined with ';', milliseconds to 0.1, a last column saying why a file was
// skipped), and the browser download of either.
import type { ClassifyRow } from '../worker/api.ts';
import type { SkippedFile } from './classify-run.ts';

const CSV_COLUMNS = [
	'path',
	'type',
	'language',
	'technologies',
	'evidence',
	'typeEvidence',
	'technologyEvidence',
	'experts',
	'ms'
] as const;

function csvCell(value: string | number | string[]): string {
	const text = Array.isArray(value) ? value.join(';') : String(value);
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function rowsToCsv(rows: ClassifyRow[], skipped: SkippedFile[] = []): string {
	const lines = [[...CSV_COLUMNS, 'skipped'].join(',')];
	for (const row of rows)
		lines.push(
			[...CSV_COLUMNS.map((column) => csvCell(column === 'ms' ? Number(row.ms.toFixed(1)) : row[column])), ''].join(',')
		);
	for (const skip of skipped)
		lines.push([csvCell(skip.path), ...CSV_COLUMNS.slice(1).map(() => ''), csvCell(skip.reason)].join(','));
	return `${lines.join('\r\n')}\r\n`;
}

export function rowsToJson(rows: ClassifyRow[], skipped: SkippedFile[] = []): string {
	return `${JSON.stringify({ files: rows, skipped }, null, 2)}\n`;
}

export function downloadFile(fileName: string, content: string | Uint8Array, type: string): void {
	const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
	const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
	link.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
