// Classification scoring: accuracies, technologies micro-F1, per-class precision/recall and the confusion
// matrix with rare labels folded into "(other)", on a small hand-labelled set whose figures are worked out below.
import { describe, expect, it } from 'vitest';
import { scoreClassifications, type ScoredExample } from '../../src/lib/eval/classification-metrics.ts';

const example = (
	path: string,
	truth: [string, string, string[]],
	answer: [string, string, string[]]
): ScoredExample => ({
	path,
	truth: { type: truth[0] as never, language: truth[1], technologies: truth[2] },
	answer: { type: answer[0] as never, language: answer[1], technologies: answer[2] }
});

const examples = [
	example('a.py', ['source-code', 'Python', ['flask']], ['source-code', 'Python', ['flask']]),
	example('b.py', ['source-code', 'Python', ['numpy', 'pandas']], ['script', 'Python', ['numpy']]),
	example('c.h', ['source-code', 'C', []], ['source-code', 'C++', []]),
	example('d.h', ['source-code', 'C++', []], ['source-code', 'C++', ['boost']])
];

describe('scoreClassifications', () => {
	const metrics = scoreClassifications(examples, 2);

	it('computes accuracies', () => {
		expect(metrics.files).toBe(4);
		expect(metrics.languageAccuracy).toBe(0.75); // c.h wrong
		expect(metrics.typeAccuracy).toBe(0.75); // b.py wrong
	});

	it('computes technologies micro-F1 and exact sets', () => {
		// true positives flask, numpy = 2; predicted flask, numpy, boost = 3; actual flask, numpy, pandas = 3
		expect(metrics.technologies.precision).toBeCloseTo(2 / 3);
		expect(metrics.technologies.recall).toBeCloseTo(2 / 3);
		expect(metrics.technologies.f1).toBeCloseTo(2 / 3);
		expect(metrics.technologies.exactSetAccuracy).toBe(0.5); // a.py and c.h
	});

	it('gives per-language precision and recall', () => {
		const cpp = metrics.perLanguage.find((c) => c.label === 'C++')!;
		expect(cpp).toMatchObject({ support: 1, predicted: 2, precision: 0.5, recall: 1 });
		const c = metrics.perLanguage.find((m) => m.label === 'C')!;
		expect(c).toMatchObject({ support: 1, predicted: 0, precision: 0, recall: 0, f1: 0 });
	});

	it('folds labels beyond the most frequent into (other)', () => {
		expect(metrics.languageConfusion.labels).toEqual(['Python', 'C', '(other)']);
		const at = (t: string, p: string) =>
			metrics.languageConfusion.counts[metrics.languageConfusion.labels.indexOf(t)][
				metrics.languageConfusion.labels.indexOf(p)
			];
		expect(at('Python', 'Python')).toBe(2);
		expect(at('C', '(other)')).toBe(1);
		expect(at('(other)', '(other)')).toBe(1);
		expect(metrics.languageConfusion.counts.flat().reduce((a, b) => a + b, 0)).toBe(4);
	});
});
