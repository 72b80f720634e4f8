// Perplexity of held-out text under the active experts: exp of the mean negative log-likelihood of each
// token given the ones before it (one forward pass per text, at most `maxTokens` tokens). Browser-safe.
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';

export async function perplexity(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	texts: readonly string[],
	maxTokens = 128
): Promise<{ perplexity: number; tokens: number; texts: number }> {
	const vocab = runtime.config.vocabSize;
	let nll = 0;
	let tokens = 0;
	for (const text of texts) {
		const ids = tokenizer.encode(text).slice(0, maxTokens);
		if (ids.length < 2) continue;
		const { logits, cache } = await runtime.forward(ids, runtime.emptyCache());
		runtime.releaseCache(cache);
		for (let position = 0; position + 1 < ids.length; position++) {
			const row = logits.subarray(position * vocab, (position + 1) * vocab);
			let max = Number.NEGATIVE_INFINITY;
			for (const value of row) if (value > max) max = value;
			let sum = 0;
			for (const value of row) sum += Math.exp(value - max);
			nll += max + Math.log(sum) - row[ids[position + 1]];
			tokens++;
		}
	}
	return { perplexity: tokens === 0 ? Number.NaN : Math.exp(nll / tokens), tokens, texts: texts.length };
}
