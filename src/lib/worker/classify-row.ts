// The app's table row for one classification answer (what the worker's classify returns, and what the page
// builds from repository-scan.ts's rows). Pure; safe on the page and in the worker.
import type { ClassifiedDocument } from '../classify/classification-session.ts';
import type { ClassifyRow } from './api.ts';

export function classifyRowOf(path: string, answer: ClassifiedDocument): ClassifyRow {
	const { type, language, technologies } = answer.classification;
	const { evidence } = answer;
	const ranking = answer.languageRanking
		? { languageRanking: answer.languageRanking, uncertain: answer.uncertain }
		: {};
	return {
		path,
		type,
		language,
		technologies,
		evidence: evidence.language,
		decidedBy: evidence.languageBy === 'model' ? 'model' : 'evidence',
		typeEvidence: evidence.type,
		technologyEvidence: evidence.technologies,
		experts: answer.experts,
		...ranking,
		ms: answer.milliseconds
	};
}
