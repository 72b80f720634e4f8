// Picks the next token from one row of logits: repetition penalty, an optional allowed-token mask, then
// greedy (temperature 0) or seeded temperature / top-k / top-p sampling.

export interface SamplingOptions {
	/** 0 (default) = greedy. */
	temperature?: number;
	topK?: number;
	topP?: number;
	/** HF convention: > 1 discourages tokens already in the sequence. */
	repetitionPenalty?: number;
	seed?: number;
}

/** Applies penalty and mask in place-safe copy; returns the adjusted logits. */
export function adjustLogits(
	logits: Float32Array,
	history: readonly number[],
	penalty: number,
	allowed?: Uint8Array
): Float32Array {
	const out = Float32Array.from(logits);
	if (penalty !== 1) {
		for (const id of new Set(history)) out[id] = out[id] > 0 ? out[id] / penalty : out[id] * penalty;
	}
	if (allowed) for (let i = 0; i < out.length; i++) if (!allowed[i]) out[i] = Number.NEGATIVE_INFINITY;
	return out;
}

export function argmax(values: Float32Array): number {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
	return best;
}

export function pickToken(
	logits: Float32Array,
	history: readonly number[],
	options: SamplingOptions,
	random: () => number,
	allowed?: Uint8Array
): number {
	const adjusted = adjustLogits(logits, history, options.repetitionPenalty ?? 1, allowed);
	const temperature = options.temperature ?? 0;
	if (temperature <= 0) return argmax(adjusted);
	let candidates = Array.from(adjusted.keys()).filter((id) => adjusted[id] > Number.NEGATIVE_INFINITY);
	candidates.sort((a, b) => adjusted[b] - adjusted[a]);
	if (options.topK && options.topK > 0) candidates = candidates.slice(0, options.topK);
	const top = adjusted[candidates[0]];
	let weights = candidates.map((id) => Math.exp((adjusted[id] - top) / temperature));
	const total = weights.reduce((a, b) => a + b, 0);
	weights = weights.map((w) => w / total);
	if (options.topP !== undefined && options.topP < 1) {
		let cumulative = 0;
		let keep = 0;
		while (keep < weights.length && cumulative < options.topP) cumulative += weights[keep++];
		candidates = candidates.slice(0, keep);
		weights = weights.slice(0, keep).map((w) => w / cumulative);
	}
	let r = random();
	for (let i = 0; i < candidates.length; i++) {
		r -= weights[i];
		if (r < 0) return candidates[i];
	}
	return candidates[candidates.length - 1];
}

/** The `count` highest logits of one row as {id, logit}, highest first (ties: lower id first). */
export function topTokens(logits: Float32Array, count: number): Array<{ id: number; logit: number }> {
	return Array.from(logits.keys())
		.sort((a, b) => logits[b] - logits[a] || a - b)
		.slice(0, count)
		.map((id) => ({ id, logit: logits[id] }));
}
