// One classified file as JSON: what `expert classify --json` / --jsonl print per file, the breakdown document's
// answers, and the app's breakdown export (the top three with probabilities when the model decided).
import type { ClassifiedDocument } from './classification-session.ts';

export const answerJson = (row: { path: string } & ClassifiedDocument) => ({
	path: row.path,
	...row.classification,
	evidence: row.evidence,
	experts: row.experts,
	languageCandidates: row.languageCandidates,
	...(row.languageRanking
		? {
				languageRanking: row.languageRanking.map((r) => ({
					language: r.language,
					probability: Number(r.probability.toFixed(4))
				})),
				uncertain: row.uncertain
			}
		: {}),
	ms: Number(row.milliseconds.toFixed(1))
});
