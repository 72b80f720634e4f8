// Plain-text tables for the CLI's human output (columns padded to their widest cell) and CSV for scripts.

export function formatTable(header: string[], rows: string[][]): string {
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
	return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n') + '\n';
}

const csvCell = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

export function formatCsv(header: string[], rows: string[][]): string {
	return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
