// The summary of a classification run: files classified and skipped, time, the median time per file, and how
// many files of each language and type.
import { median } from '../median.ts';
import type { ClassifiedDocument } from './classification-session.ts';

export interface ClassificationSummary {
	classified: number;
	skipped: number;
	seconds: number;
	/** null when nothing was classified. */
	medianMsPerFile: number | null;
	languages: Record<string, number>;
	types: Record<string, number>;
}

function countBy<T>(rows: readonly T[], key: (row: T) => string): Record<string, number> {
	const counts = new Map<string, number>();
	for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
	return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export function classificationSummary(
	rows: readonly ClassifiedDocument[],
	skipped: number,
	seconds: number
): ClassificationSummary {
	return {
		classified: rows.length,
		skipped,
		seconds: Number(seconds.toFixed(2)),
		medianMsPerFile: rows.length ? Number(median(rows.map((r) => r.milliseconds)).toFixed(1)) : null,
		languages: countBy(rows, (r) => r.classification.language),
		types: countBy(rows, (r) => r.classification.type)
	};
}
