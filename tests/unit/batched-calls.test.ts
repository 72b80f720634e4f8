// batched-calls.ts: inputs asked for in one turn go out in one call (at most maxBatch), one call is out at a time
// (what arrives meanwhile waits for the next), every caller gets its own answer, and a failed call fails its batch only.
import { describe, expect, it } from 'vitest';
import { batchedCalls } from '../../src/lib/ui/batched-calls.ts';

describe('batchedCalls', () => {
	it('sends one batch at a time, up to maxBatch, and answers each caller', async () => {
		const calls: number[][] = [];
		let out = 0;
		let mostOut = 0;
		const square = batchedCalls(async (inputs: number[]) => {
			calls.push(inputs);
			mostOut = Math.max(mostOut, ++out);
			await new Promise((resolve) => setTimeout(resolve, 5));
			out--;
			return inputs.map((x) => x * x);
		}, 3);
		const answers = await Promise.all([1, 2, 3, 4, 5].map(square));
		expect(answers).toEqual([1, 4, 9, 16, 25]);
		expect(calls).toEqual([
			[1, 2, 3],
			[4, 5]
		]);
		expect(mostOut).toBe(1);
	});

	it('fails the callers of a failed batch and goes on with the next', async () => {
		const half = batchedCalls(async (inputs: number[]) => {
			if (inputs.includes(0)) throw new Error('zero');
			return inputs.map((x) => x / 2);
		}, 2);
		const settled = await Promise.allSettled([0, 1, 4].map(half));
		expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
			'zero',
			'zero',
			2
		]);
	});
});
