// Compares the classification of the same files by several expert sets: per file and field whether all
// sets agree, the share of files each field agrees on, and per set the mean latency, the files skipped and,
// when labels are given (language per path, e.g. a labelled folder), the language accuracy; and what a set
// that cannot classify lacks.
import type { ClassifyRow } from '../worker/api.ts';

export const COMPARED_FIELDS = ['type', 'language', 'technologies'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface SetRun {
	label: string;
	rows: ClassifyRow[];
	/** Files the set did not classify (skipped by the input policy, or an error), counted apart. */
	skipped?: number;
}

export interface FileComparison {
	path: string;
	outputs: Array<ClassifyRow | null>;
	agrees: Record<ComparedField, boolean>;
}

export interface SetSummary {
	label: string;
	/** Mean classify time per file; the base model's load is not in it. */
	meanMs: number;
	skipped: number;
	languageAccuracy: number | null;
}

export interface Comparison {
	files: FileComparison[];
	agreement: Record<ComparedField, number>;
	sets: SetSummary[];
}

function fieldValue(row: ClassifyRow | null, field: ComparedField): string {
	if (!row) return '';
	return field === 'technologies' ? [...row.technologies].sort().join(',') : row[field];
}

/** "Python/app.py" -> "Python": the folder right above the file names its language. */
export function labelFromFolder(path: string): string | null {
	const parts = path.split('/');
	return parts.length >= 2 ? parts[parts.length - 2] : null;
}

export function compareRuns(runs: SetRun[], labels: Map<string, string> | null): Comparison {
	const byPath = runs.map((run) => new Map(run.rows.map((row) => [row.path, row])));
	const paths = [...new Set(runs.flatMap((run) => run.rows.map((row) => row.path)))].sort();
	const files = paths.map((path) => {
		const outputs = byPath.map((rows) => rows.get(path) ?? null);
		const agrees = Object.fromEntries(
			COMPARED_FIELDS.map((field) => [
				field,
				outputs.every((row) => row !== null && fieldValue(row, field) === fieldValue(outputs[0], field))
			])
		) as Record<ComparedField, boolean>;
		return { path, outputs, agrees };
	});
	const agreement = Object.fromEntries(
		COMPARED_FIELDS.map((field) => [
			field,
			files.length ? files.filter((file) => file.agrees[field]).length / files.length : 0
		])
	) as Record<ComparedField, number>;
	const sets = runs.map((run) => {
		const labelled = labels ? run.rows.filter((row) => labels.has(row.path)) : [];
		const correct = labelled.filter(
			(row) => labels?.get(row.path)?.toLowerCase() === row.language.toLowerCase()
		).length;
		return {
			label: run.label,
			skipped: run.skipped ?? 0,
			meanMs: run.rows.length ? run.rows.reduce((sum, row) => sum + row.ms, 0) / run.rows.length : 0,
			languageAccuracy: labelled.length ? correct / labelled.length : null
		};
	});
	return { files, agreement, sets };
}

/** The expert every classifying set needs: without it type and language come from evidence and the bare base model. */
export const CLASSIFIER_EXPERT = 'document-classifier';

/** Why a set's load plan (expert names) cannot classify well, or null. */
export function classifierWarning(planNames: string[]): string | null {
	return planNames.includes(CLASSIFIER_EXPERT)
		? null
		: `no ${CLASSIFIER_EXPERT} in this set: where Linguist's evidence leaves a choice the bare base model decides, and its answers are poor`;
}
