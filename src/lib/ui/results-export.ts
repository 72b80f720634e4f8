// Classification results as files the user can keep: JSON (the rows as they are) and CSV (RFC 4180
// quoting, technologies, their evidence and experts joined with ';'), and the browser download of either.
import type { ClassifyRow } from '../worker/api.ts';

const CSV_COLUMNS = ['path', 'type', 'language', 'technologies', 'evidence', 'typeEvidence', 'technologyEvidence', 'experts', 'ms'] as const;

function csvCell(value: string | number | string[]): string {
	const text = Array.isArray(value) ? value.join(';') : String(value);
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function rowsToCsv(rows: ClassifyRow[]): string {
	const lines = [CSV_COLUMNS.join(',')];
	for (const row of rows) lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
	return `${lines.join('\r\n')}\r\n`;
}

export function rowsToJson(rows: ClassifyRow[]): string {
	return `${JSON.stringify(rows, null, 2)}\n`;
}

export function downloadFile(fileName: string, content: string | Uint8Array, type: string): void {
	const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
	const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
	link.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}
