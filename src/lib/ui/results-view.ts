// Filtering and sorting of classification rows for the results table: a case-insensitive text filter over
// every field, and a stable sort by one column in either direction.
import type { ClassifyRow } from '../worker/api.ts';

export type SortColumn = 'path' | 'type' | 'language' | 'technologies' | 'evidence' | 'ms';

function cellText(row: ClassifyRow, column: SortColumn): string {
	const value = row[column];
	return Array.isArray(value) ? value.join(', ') : String(value);
}

export function viewRows(rows: ClassifyRow[], filter: string, column: SortColumn, ascending: boolean): ClassifyRow[] {
	const needle = filter.trim().toLowerCase();
	const kept = needle
		? rows.filter((row) =>
				(['path', 'type', 'language', 'technologies', 'evidence'] as const).some((field) =>
					cellText(row, field).toLowerCase().includes(needle)
				)
			)
		: [...rows];
	const direction = ascending ? 1 : -1;
	return kept.sort(
		(a, b) => direction * (column === 'ms' ? a.ms - b.ms : cellText(a, column).localeCompare(cellText(b, column)))
	);
}
