// Label scoring for closed-set fields: the log-likelihood of each candidate label's tokens after a prompt,
// computed from one prefill of the prompt and one cached forward pass per label.
import type { ModelRuntime } from './model-runtime.ts';

export interface LabelScore {
	label: string;
	/** Sum of the label tokens' log-probabilities. */
	logProb: number;
	tokenCount: number;
}

function logSoftmaxAt(logits: Float32Array, offset: number, size: number, id: number): number {
	let max = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < size; i++) max = Math.max(max, logits[offset + i]);
	let sum = 0;
	for (let i = 0; i < size; i++) sum += Math.exp(logits[offset + i] - max);
	return logits[offset + id] - max - Math.log(sum);
}

/** Scores every label (tokenized on its own by `encode`) as a continuation of `promptIds`; best first. */
export async function scoreLabels(runtime: ModelRuntime, encode: (text: string) => number[], promptIds: number[], labels: string[]): Promise<LabelScore[]> {
	const vocab = runtime.config.vocabSize;
	const prompt = await runtime.forward(promptIds, runtime.emptyCache());
	const lastOffset = prompt.logits.length - vocab;
	const scores: LabelScore[] = [];
	for (const label of labels) {
		const ids = encode(label);
		if (ids.length === 0) throw new Error(`label scoring: label ${JSON.stringify(label)} has no tokens`);
		let logProb = logSoftmaxAt(prompt.logits, lastOffset, vocab, ids[0]);
		if (ids.length > 1) {
			const rest = await runtime.forward(ids.slice(0, -1), prompt.cache);
			for (let i = 1; i < ids.length; i++) logProb += logSoftmaxAt(rest.logits, (i - 1) * vocab, vocab, ids[i]);
			runtime.releaseCache(rest.cache);
		}
		scores.push({ label, logProb, tokenCount: ids.length });
	}
	runtime.releaseCache(prompt.cache);
	return scores.sort((a, b) => b.logProb - a.logProb);
}
