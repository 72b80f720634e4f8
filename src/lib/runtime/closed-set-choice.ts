// Picks one continuation out of a closed set by the model's log-likelihood, after a cached context: the
// options' shared token prefix runs once, then each option's own tokens are scored (small sets) or the
// options are walked as a token trie, greedily (large sets). The answer is always one of the options.
import type { KvCache } from './decoder-session.ts';
import type { ModelRuntime } from './model-runtime.ts';

/** The model's state after some tokens: their KV cache and the logits that predict the next token. */
export interface DecodingState {
	cache: KvCache;
	nextLogits: Float32Array;
}

export interface ContinuationChoice {
	option: string;
	/** Sum of the option's token log-probabilities (greedy trie walk: of the tokens it took). */
	logProb: number;
}

/** Above this many options the trie walk replaces scoring every option. */
const FULL_SCORING_LIMIT = 64;

function logSoftmax(logits: Float32Array, offset: number, size: number): (id: number) => number {
	let max = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < size; i++) max = Math.max(max, logits[offset + i]);
	let sum = 0;
	for (let i = 0; i < size; i++) sum += Math.exp(logits[offset + i] - max);
	const logSum = max + Math.log(sum);
	return (id) => logits[offset + id] - logSum;
}

function lastRow(logits: Float32Array, vocab: number): Float32Array {
	return logits.subarray(logits.length - vocab);
}

/** Runs `ids` after `state` (which stays usable); an empty `ids` returns `state` itself. */
export async function advance(runtime: ModelRuntime, state: DecodingState, ids: number[]): Promise<DecodingState> {
	if (ids.length === 0) return state;
	const result = await runtime.forward(ids, state.cache);
	return { cache: result.cache, nextLogits: lastRow(result.logits, runtime.config.vocabSize) };
}

/** The state after a whole prompt, from an empty cache. */
export async function prefill(runtime: ModelRuntime, ids: number[]): Promise<DecodingState> {
	return advance(runtime, { cache: runtime.emptyCache(), nextLogits: new Float32Array(0) }, ids);
}

export function release(runtime: ModelRuntime, state: DecodingState, keep: DecodingState): void {
	if (state !== keep) runtime.releaseCache(state.cache);
}

function sharedPrefixLength(sequences: number[][]): number {
	let length = 0;
	while (sequences.every((ids) => ids.length > length && ids[length] === sequences[0][length])) length++;
	return length;
}

async function scoreEvery(runtime: ModelRuntime, start: DecodingState, rests: number[][]): Promise<number[]> {
	const vocab = runtime.config.vocabSize;
	const first = logSoftmax(start.nextLogits, 0, vocab);
	const scores: number[] = [];
	for (const rest of rests) {
		let logProb = first(rest[0]);
		if (rest.length > 1) {
			const result = await runtime.forward(rest.slice(0, -1), start.cache);
			for (let i = 1; i < rest.length; i++) logProb += logSoftmax(result.logits, (i - 1) * vocab, vocab)(rest[i]);
			runtime.releaseCache(result.cache);
		}
		scores.push(logProb);
	}
	return scores;
}

async function walkTrie(
	runtime: ModelRuntime,
	start: DecodingState,
	rests: number[][]
): Promise<{ index: number; logProb: number }> {
	let alive = rests.map((ids, index) => ({ ids, index }));
	let state = start;
	let logProb = 0;
	for (let step = 0; ; step++) {
		const logProbOf = logSoftmax(state.nextLogits, 0, runtime.config.vocabSize);
		const allowed = [...new Set(alive.map((option) => option.ids[step]))];
		const token = allowed.reduce((best, id) => (logProbOf(id) > logProbOf(best) ? id : best));
		logProb += logProbOf(token);
		alive = alive.filter((option) => option.ids[step] === token);
		const complete = alive.find((option) => option.ids.length === step + 1);
		if (complete || alive.length === 1) {
			release(runtime, state, start);
			return { index: (complete ?? alive[0]).index, logProb };
		}
		const next = await advance(runtime, state, [token]);
		release(runtime, state, start);
		state = next;
	}
}

/** How many sequences one batched run holds at most (bounds the logits copied back: rows × length × vocab). */
const BATCH_ROWS = 16;

/**
 * log p(continuation | prompt) for each prompt under the active experts, all prompts in batched runs from an
 * empty cache: the same scores as running each prompt and then the continuation alone, up to float summation order.
 */
export async function continuationLogLikelihoods(
	runtime: ModelRuntime,
	prompts: readonly number[][],
	continuationIds: readonly number[]
): Promise<number[]> {
	if (prompts.some((ids) => ids.length === 0)) throw new Error('continuationLogLikelihoods: a prompt is empty');
	const vocab = runtime.config.vocabSize;
	const scores: number[] = [];
	for (let start = 0; start < prompts.length; start += BATCH_ROWS) {
		const chunk = prompts.slice(start, start + BATCH_ROWS);
		const logits = await runtime.forwardBatch(chunk.map((ids) => [...ids, ...continuationIds]));
		chunk.forEach((ids, row) => {
			let logProb = 0;
			continuationIds.forEach(
				(id, index) => (logProb += logSoftmax(logits[row], (ids.length - 1 + index) * vocab, vocab)(id))
			);
			scores.push(logProb);
		});
	}
	return scores;
}

/** The options as token sequences after `prefixText`, with the shared head run once after `context`. */
async function branch(
	runtime: ModelRuntime,
	encode: (text: string) => number[],
	context: DecodingState,
	prefixText: string,
	options: readonly string[]
) {
	const encoded = options.map((option) => encode(prefixText + option));
	const shared = sharedPrefixLength(encoded);
	const rests = encoded.map((ids) => ids.slice(shared));
	if (rests.some((rest) => rest.length === 0))
		throw new Error(`chooseContinuation: an option of ${JSON.stringify(prefixText)} is a token prefix of another`);
	return { start: await advance(runtime, context, encoded[0].slice(0, shared)), rests };
}

/**
 * The log-likelihood of each of `options` (texts that follow `prefixText`, each tokenized together with it
 * so merges match training) after `context`, the state at the end of the tokens before `prefixText`.
 */
async function scoreContinuations(
	runtime: ModelRuntime,
	encode: (text: string) => number[],
	context: DecodingState,
	prefixText: string,
	options: readonly string[]
): Promise<number[]> {
	if (options.length < 2) return options.map(() => 0);
	const { start, rests } = await branch(runtime, encode, context, prefixText, options);
	try {
		return await scoreEvery(runtime, start, rests);
	} finally {
		release(runtime, start, context);
	}
}

/** Index of the largest score (the first on ties). */
export function bestIndex(scores: readonly number[]): number {
	return scores.reduce((best, score, index) => (score > scores[best] ? index : best), 0);
}

/** Chooses among `options` as scoreContinuations scores them; above FULL_SCORING_LIMIT options, by a greedy trie walk. */
export async function chooseContinuation(
	runtime: ModelRuntime,
	encode: (text: string) => number[],
	context: DecodingState,
	prefixText: string,
	options: readonly string[]
): Promise<ContinuationChoice> {
	if (options.length === 0) throw new Error('chooseContinuation: no options');
	if (options.length <= FULL_SCORING_LIMIT) {
		const scores = await scoreContinuations(runtime, encode, context, prefixText, options);
		const best = bestIndex(scores);
		return { option: options[best], logProb: scores[best] };
	}
	const { start, rests } = await branch(runtime, encode, context, prefixText, options);
	try {
		const { index, logProb } = await walkTrie(runtime, start, rests);
		return { option: options[index], logProb };
	} finally {
		release(runtime, start, context);
	}
}
