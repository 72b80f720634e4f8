// What the language head reads of a text, the same in Node, the browser worker and training: the model's final
// hidden states over the first tokens (one batched forward pass, mean- and max-pooled) and the bag of the
// tokenizer's tokens and hashed token pairs and triples over a longer stretch (as fastText reads words and
// n-grams). Browser-safe.
import type { ModelRuntime } from '../runtime/model-runtime.ts';

export interface LanguageFeatureShape {
	/** Tokens the forward pass reads. */
	forwardTokens: number;
	/** Tokens the bag reads. */
	bagTokens: number;
	/** Buckets token pairs are hashed into (after the vocabulary's own ids). */
	pairBuckets: number;
	/** Buckets token triples are hashed into (after the pairs'). */
	tripleBuckets: number;
}

export const LANGUAGE_FEATURE_SHAPE: LanguageFeatureShape = {
	forwardTokens: 128,
	bagTokens: 1024,
	pairBuckets: 16384,
	tripleBuckets: 16384
};

/** Characters tokenized per text: enough for the bag's tokens (code averages 3–4 characters a token). */
export const LANGUAGE_FEATURE_CHARS = 6000;
/** Characters of a text's start always read, before any licence header is skipped (comment style is a cue). */
const KEPT_START_CHARS = 200;

const BLOCK_COMMENTS: ReadonlyArray<[string, string]> = [
	['/*', '*/'],
	['(*', '*)'],
	['{-', '-}'],
	['<!--', '-->'],
	['"""', '"""'],
	["'''", "'''"],
	['=pod', '=cut'],
	['=head', '=cut'],
	['=begin', '=end']
];
/** Line comments of common languages (# only when not a preprocessor line or shebang: #include is code). */
const LINE_COMMENT = /^\s*(\/\/|#(?![!a-zA-Z])|--|;|%|!|\*|REM\b|rem\b|dnl\b|@c\b|\.\\"|"|'|\\)/;

/** Where the code starts after a leading block of comments and blank lines (0 when the text starts with code). */
export function leadingCommentEnd(text: string): number {
	let offset = 0;
	let closer: string | null = null;
	for (const line of text.split('\n')) {
		const next = offset + line.length + 1;
		const trimmed = line.trim();
		if (closer !== null) {
			if (trimmed.includes(closer)) closer = null;
		} else if (trimmed !== '' && !LINE_COMMENT.test(line)) {
			const block = BLOCK_COMMENTS.find(([open]) => trimmed.startsWith(open));
			if (!block) return offset;
			const rest = trimmed.slice(block[0].length);
			if (!rest.includes(block[1])) closer = block[1];
		}
		offset = next;
	}
	return 0; // all comment: read it as it is
}

/**
 * What the features read of a text: its first lines (their comment style is a cue), then the code after a long
 * leading comment block, since a licence header says little about the language.
 */
export function featureText(text: string): string {
	const head = text.slice(0, LANGUAGE_FEATURE_CHARS);
	const codeStart = leadingCommentEnd(head);
	if (codeStart < 2 * KEPT_START_CHARS) return head;
	return `${head.slice(0, KEPT_START_CHARS)}\n${text.slice(codeStart, codeStart + LANGUAGE_FEATURE_CHARS - KEPT_START_CHARS)}`;
}

export interface LanguageFeatures {
	/** [mean ; max] of the final hidden states over the forward tokens, 2 × hidden. */
	pooled: Float32Array;
	/** Bag ids: token ids, then vocab + hash(pair) for each adjacent pair. */
	bag: Int32Array;
}

/** The bag's ids of a token sequence: each token, each adjacent pair hashed into `pairBuckets`, each triple into `tripleBuckets`. */
export function bagIds(
	tokens: readonly number[],
	vocabSize: number,
	shape: LanguageFeatureShape = LANGUAGE_FEATURE_SHAPE
): Int32Array {
	const used = tokens.slice(0, shape.bagTokens);
	const n = used.length;
	const ids = new Int32Array(n + Math.max(0, n - 1) + Math.max(0, n - 2));
	let at = 0;
	for (const token of used) ids[at++] = token;
	for (let i = 1; i < n; i++) ids[at++] = vocabSize + ngramBucket([used[i - 1], used[i]], shape.pairBuckets);
	for (let i = 2; i < n; i++)
		ids[at++] = vocabSize + shape.pairBuckets + ngramBucket([used[i - 2], used[i - 1], used[i]], shape.tripleBuckets);
	return ids;
}

/** A fixed integer hash of a token n-gram (polynomial, exact in doubles for ids below 2^16). */
export function ngramBucket(tokens: readonly number[], buckets: number): number {
	let hash = 0;
	for (const token of tokens) hash = (hash * 65537 + token + 1) % 2147483647;
	return hash % buckets;
}

/** [mean ; max] over positions of one sequence's hidden states ([length, width] row-major). */
export function poolHidden(hidden: Float32Array, width: number): Float32Array {
	const length = hidden.length / width;
	const pooled = new Float32Array(2 * width).fill(0);
	pooled.fill(-Infinity, width);
	for (let t = 0; t < length; t++) {
		for (let j = 0; j < width; j++) {
			const value = hidden[t * width + j];
			pooled[j] += value / length;
			if (value > pooled[width + j]) pooled[width + j] = value;
		}
	}
	return pooled;
}

/** The features of several token sequences, one batched forward pass for all (the active experts stacked). */
export async function languageFeatures(
	runtime: ModelRuntime,
	tokenSequences: readonly number[][],
	shape: LanguageFeatureShape = LANGUAGE_FEATURE_SHAPE
): Promise<LanguageFeatures[]> {
	const heads = tokenSequences.map((tokens) =>
		tokens.length > 0 ? tokens.slice(0, shape.forwardTokens) : [runtime.config.eosTokenIds[0] ?? 0]
	);
	const hidden = await runtime.hiddenStatesBatch(heads);
	return tokenSequences.map((tokens, i) => ({
		pooled: poolHidden(hidden[i], runtime.config.hiddenSize),
		bag: bagIds(tokens, runtime.config.vocabSize, shape)
	}));
}
