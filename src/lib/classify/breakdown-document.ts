// A repository's breakdown as one JSON document in linguist-js's top-level shape (languages, files, unknown as
// excluded / unclassified), plus the languages apart from the bar, every file's answer and the warnings.
import type { ClassifiedDocument } from './classification-session.ts';
import type { LanguageBreakdown, LanguageShare } from './language-breakdown.ts';
import type { RepositoryRow } from './repository-scan.ts';

const shares = (list: readonly LanguageShare[]) => ({
	count: list.length,
	bytes: list.reduce((sum, s) => sum + s.bytes, 0),
	results: Object.fromEntries(
		list.map((s) => [
			s.language,
			{ type: s.type, bytes: s.bytes, files: s.files, percentage: s.percentage, color: s.color }
		])
	)
});

/** `answerJson`: how one file's answer is written (the CLI's --json row). */
export function breakdownDocument(
	run: { rows: readonly RepositoryRow[]; breakdown: LanguageBreakdown; warnings: string[]; interrupted: boolean },
	answerJson: (row: { path: string } & ClassifiedDocument) => unknown
) {
	const { breakdown, rows } = run;
	const counted = rows.filter((r) => r.language !== null && !r.exclusion);
	return {
		languages: shares(breakdown.bar),
		notCounted: shares(breakdown.notCounted),
		files: {
			count: counted.length,
			bytes: counted.reduce((sum, r) => sum + r.bytes, 0),
			results: Object.fromEntries(counted.map((r) => [r.path, r.language]))
		},
		excluded: {
			count: breakdown.excluded.length,
			bytes: breakdown.excluded.reduce((s, e) => s + e.bytes, 0),
			results: Object.fromEntries(breakdown.excluded.map((e) => [e.path, { kind: e.kind, reason: e.reason }]))
		},
		unclassified: {
			count: breakdown.unclassified.length,
			results: Object.fromEntries(breakdown.unclassified.map((u) => [u.path, u.problem]))
		},
		answers: counted.map((r) =>
			r.answer
				? answerJson({ path: r.path, ...r.answer })
				: { path: r.path, language: r.language, evidence: { language: r.languageFrom } }
		),
		warnings: run.warnings,
		interrupted: run.interrupted
	};
}
