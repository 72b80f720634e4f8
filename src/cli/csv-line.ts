// CSV lines for the CLI's script output (RFC 4180 quoting).

const csvCell = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

/** One CSV record, newline-terminated. */
export function csvLine(cells: string[]): string {
	return `${cells.map(csvCell).join(',')}\n`;
}
