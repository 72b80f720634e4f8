// Ranks a document's language with the language head: the candidates it knows (all its languages when the
// evidence left none), one forward pass for the features; null when it knows too few of the candidates to choose.
// The caller activates the experts the head was trained on (its own package: it adds no LoRA). Browser-safe.
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';
import type { DocumentInput } from './document-classifier.ts';
import { featureText, languageFeatures } from './language-features.ts';
import type { LanguageHead, LanguageRanking } from './language-head.ts';

/** Whether the head can choose among `candidates`: it knows at least two of them (or the only one), or there are none. */
export function headCanRank(head: LanguageHead, candidates: readonly string[]): boolean {
	const known = candidates.filter((c) => head.knows(c)).length;
	return candidates.length === 0 || known >= Math.min(2, candidates.length);
}

export async function rankWithHead(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	head: LanguageHead,
	file: DocumentInput,
	candidates: readonly string[]
): Promise<LanguageRanking> {
	const [features] = await languageFeatures(runtime, [tokenizer.encode(featureText(file.content))], head.config.shape);
	return head.rank(
		features,
		candidates.filter((c) => head.knows(c))
	);
}
