// Next-token selection: greedy, seeded temperature/top-k/top-p sampling, repetition penalty, masks,
// and the stable top-N listing used by `expert logits`. < 1 s.
import { describe, expect, it } from 'vitest';
import { adjustLogits, argmax, pickToken, topTokens } from '../../src/lib/runtime/sampling.ts';
import { seededRandom } from '../../src/lib/seeded-random.ts';

const logits = Float32Array.from([1, 3, 2.5, -1, 2.9, 0]);

describe('sampling', () => {
	it('greedy picks the argmax; top-k 1 and tiny top-p reduce sampling to greedy', () => {
		expect(pickToken(logits, [], {}, seededRandom(1))).toBe(1);
		for (let seed = 0; seed < 20; seed++) {
			expect(pickToken(logits, [], { temperature: 1.5, topK: 1 }, seededRandom(seed))).toBe(1);
			expect(pickToken(logits, [], { temperature: 1.5, topP: 0.01 }, seededRandom(seed))).toBe(1);
		}
	});

	it('is reproducible for a seed and follows the softmax distribution', () => {
		const draw = (seed: number) =>
			Array.from(
				{ length: 50 },
				(
					(random) => () =>
						pickToken(logits, [], { temperature: 1 }, random)
				)(seededRandom(seed))
			);
		expect(draw(42)).toEqual(draw(42));
		expect(draw(42)).not.toEqual(draw(43));
		const counts = new Array(logits.length).fill(0);
		const random = seededRandom(7);
		for (let i = 0; i < 4000; i++) counts[pickToken(logits, [], { temperature: 1 }, random)]++;
		const exp = Array.from(logits, (l) => Math.exp(l));
		const total = exp.reduce((a, b) => a + b, 0);
		for (let id = 0; id < logits.length; id++) expect(Math.abs(counts[id] / 4000 - exp[id] / total)).toBeLessThan(0.03);
	});

	it('top-k restricts to the k best tokens', () => {
		const random = seededRandom(3);
		const seen = new Set(Array.from({ length: 300 }, () => pickToken(logits, [], { temperature: 5, topK: 3 }, random)));
		expect([...seen].sort()).toEqual([1, 2, 4]);
	});

	it('repetition penalty divides positive and multiplies negative logits of seen tokens', () => {
		const adjusted = adjustLogits(logits, [1, 3, 1], 2);
		expect(adjusted).toEqual(Float32Array.from([1, 1.5, 2.5, -2, 2.9, 0]));
		expect(pickToken(logits, [1], { repetitionPenalty: 2 }, seededRandom(0))).toBe(4);
	});

	it('never picks a masked token', () => {
		const mask = Uint8Array.from([1, 0, 0, 1, 0, 1]);
		expect(pickToken(logits, [], {}, seededRandom(0), mask)).toBe(0);
		const random = seededRandom(9);
		for (let i = 0; i < 200; i++) expect([0, 3, 5]).toContain(pickToken(logits, [], { temperature: 2 }, random, mask));
	});

	it('lists the top logits highest first, ties by lower id', () => {
		expect(argmax(logits)).toBe(1);
		expect(topTokens(Float32Array.from([0.5, 2, 2, -1]), 3)).toEqual([
			{ id: 1, logit: 2 },
			{ id: 2, logit: 2 },
			{ id: 0, logit: 0.5 }
		]);
	});
});
