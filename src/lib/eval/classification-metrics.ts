// Scores classifier answers against ground truth: accuracy of type and language, technologies micro-F1,
// a per-language precision/recall/F1 table and a language confusion matrix. Pure; browser-safe.
import type { Classification } from '../classify/taxonomy.ts';

export interface ScoredExample {
	path: string;
	truth: Classification;
	answer: Classification;
}

export interface ClassMetrics {
	label: string;
	support: number;
	predicted: number;
	precision: number;
	recall: number;
	f1: number;
}

export interface ConfusionMatrix {
	/** Row = true label, column = predicted label; labels beyond the most frequent are folded into "(other)". */
	labels: string[];
	counts: number[][];
}

export interface ClassificationMetrics {
	files: number;
	typeAccuracy: number;
	languageAccuracy: number;
	technologies: { precision: number; recall: number; f1: number; exactSetAccuracy: number };
	perLanguage: ClassMetrics[];
	languageConfusion: ConfusionMatrix;
}

const OTHER = '(other)';
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);
const f1Of = (precision: number, recall: number) =>
	precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

function perClass(pairs: Array<{ truth: string; answer: string }>): ClassMetrics[] {
	const labels = [...new Set(pairs.map((p) => p.truth))];
	return labels
		.map((label) => {
			const support = pairs.filter((p) => p.truth === label).length;
			const predicted = pairs.filter((p) => p.answer === label).length;
			const correct = pairs.filter((p) => p.truth === label && p.answer === label).length;
			const precision = ratio(correct, predicted);
			const recall = ratio(correct, support);
			return { label, support, predicted, precision, recall, f1: f1Of(precision, recall) };
		})
		.sort((a, b) => b.support - a.support || a.label.localeCompare(b.label));
}

function confusion(pairs: Array<{ truth: string; answer: string }>, size: number): ConfusionMatrix {
	const frequent = perClass(pairs)
		.slice(0, size)
		.map((c) => c.label);
	const fold = (label: string) => (frequent.includes(label) ? label : OTHER);
	const labels = pairs.some((p) => !frequent.includes(p.truth) || !frequent.includes(p.answer))
		? [...frequent, OTHER]
		: frequent;
	const counts = labels.map(() => labels.map(() => 0));
	for (const pair of pairs) counts[labels.indexOf(fold(pair.truth))][labels.indexOf(fold(pair.answer))]++;
	return { labels, counts };
}

export function scoreClassifications(examples: ScoredExample[], confusionSize = 20): ClassificationMetrics {
	const languagePairs = examples.map((e) => ({ truth: e.truth.language, answer: e.answer.language }));
	let truePositives = 0;
	let predicted = 0;
	let actual = 0;
	let exactSets = 0;
	for (const { truth, answer } of examples) {
		const expected = new Set(truth.technologies);
		truePositives += answer.technologies.filter((t) => expected.has(t)).length;
		predicted += answer.technologies.length;
		actual += expected.size;
		if (answer.technologies.length === expected.size && answer.technologies.every((t) => expected.has(t))) exactSets++;
	}
	const precision = ratio(truePositives, predicted);
	const recall = ratio(truePositives, actual);
	return {
		files: examples.length,
		typeAccuracy: ratio(examples.filter((e) => e.truth.type === e.answer.type).length, examples.length),
		languageAccuracy: ratio(languagePairs.filter((p) => p.truth === p.answer).length, examples.length),
		technologies: {
			precision,
			recall,
			f1: f1Of(precision, recall),
			exactSetAccuracy: ratio(exactSets, examples.length)
		},
		perLanguage: perClass(languagePairs),
		languageConfusion: confusion(languagePairs, confusionSize)
	};
}
