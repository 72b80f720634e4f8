// The contract every offline generator implements: given a seeded random source and a difficulty,
// produce one example whose answer was computed from the data, never guessed.
import type { Difficulty, Domain, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';

export interface OfflineGenerator {
	domain: Domain;
	/** The task names its examples carry (what `--task` may select). */
	tasks: readonly string[];
	/** One example; the same random state and difficulty always give the same example. */
	generate(rng: SeededRandom, difficulty: Difficulty): Example;
}

/** Picks a task name by weight. */
export function pickWeighted<T extends string>(rng: SeededRandom, weights: Record<T, number>): T {
	const entries = Object.entries(weights) as Array<[T, number]>;
	const total = entries.reduce((sum, [, w]) => sum + w, 0);
	let roll = rng.next() * total;
	for (const [name, weight] of entries) {
		roll -= weight;
		if (roll < 0) return name;
	}
	return entries[entries.length - 1][0];
}
