// Gradient-free search of per-expert stacking weights (coordinate search, as LoraHub's gradient-free step
// but on a grid): from the start weights, try each expert's grid values one expert at a time in a seeded
// order, keep a change only when the score strictly improves; after a pass without one, try switching each
// pair of experts to the lowest weight (two experts may hurt only together); stop when that finds nothing
// either, or when the evaluation budget is spent. Deterministic for a seed. Browser-safe.
import { seededRandom } from '../seeded-random.ts';

export const DEFAULT_WEIGHT_GRID: readonly number[] = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];

export interface SearchProgress {
	evaluations: number;
	maxEvaluations: number;
	best: number;
	weights: number[];
}

export interface SearchResult {
	weights: number[];
	score: number;
	startScore: number;
	evaluations: number;
}

function shuffled(count: number, random: () => number): number[] {
	const order = Array.from({ length: count }, (_, index) => index);
	for (let i = count - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	return order;
}

export async function searchWeights(options: {
	start: number[];
	grid?: readonly number[];
	maxEvaluations: number;
	seed: number;
	/** Higher is better; called once per distinct weight vector. */
	score: (weights: number[]) => Promise<number>;
	onProgress?: (progress: SearchProgress) => void;
}): Promise<SearchResult> {
	const grid = options.grid ?? DEFAULT_WEIGHT_GRID;
	const random = seededRandom(options.seed);
	const seen = new Map<string, number>();
	let evaluations = 0;
	const evaluate = async (weights: number[]) => {
		const key = weights.join(',');
		let value = seen.get(key);
		if (value === undefined) {
			value = await options.score(weights);
			seen.set(key, value);
			evaluations++;
		}
		return value;
	};
	let weights = [...options.start];
	let best = await evaluate(weights);
	const startScore = best;
	const report = () =>
		options.onProgress?.({ evaluations, maxEvaluations: options.maxEvaluations, best, weights: [...weights] });
	report();
	const tryMove = async (candidate: number[]) => {
		if (evaluations >= options.maxEvaluations || candidate.every((weight, k) => weight === weights[k])) return false;
		const score = await evaluate(candidate);
		const better = score > best;
		if (better) {
			best = score;
			weights = candidate;
		}
		report();
		return better;
	};
	const lowest = Math.min(...grid);
	let improved = true;
	while (improved && evaluations < options.maxEvaluations) {
		improved = false;
		for (const index of shuffled(weights.length, random)) {
			for (const value of shuffled(grid.length, random).map((k) => grid[k]))
				improved = (await tryMove(weights.map((weight, k) => (k === index ? value : weight)))) || improved;
		}
		// Two experts can hurt only together: when no single move helps, try switching each pair to the lowest weight.
		for (let i = 0; !improved && i < weights.length; i++) {
			for (let j = i + 1; !improved && j < weights.length; j++)
				improved = await tryMove(weights.map((weight, k) => (k === i || k === j ? lowest : weight)));
		}
	}
	return { weights, score: best, startScore, evaluations };
}
