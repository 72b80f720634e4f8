// Classifies one document with the active experts: the shared classification prompt, then the answer
// {"type","language","technologies"} built field by field, each value chosen from its closed set by the
// model (closed-set-choice; among several candidate languages, the one that best explains the text), so
// the answer is valid JSON by construction. Browser-safe.
import { languageCandidates, LINGUIST_LANGUAGES } from './language-candidates.ts';
import { CLASSIFICATION_PREFIX_CHARS, classificationAnswer, classificationPrompt, DOCUMENT_TYPES, excerptPrompt, TECHNOLOGIES, type Classification } from './taxonomy.ts';
import { bestIndex, chooseContinuation, continuationLogLikelihood, prefill, type DecodingState } from '../runtime/closed-set-choice.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';

export interface DocumentInput {
	fileName: string;
	content: string;
}

export interface DocumentAnswer {
	classification: Classification;
	/** The answer exactly as the model gives it (canonical JSON). */
	json: string;
	/** The languages Linguist's table allowed for the file name (empty: any language). */
	languageCandidates: string[];
}

/** At most this many technologies are listed (the labelled corpus has at most a few per file). */
const MAX_TECHNOLOGIES = 4;
const OPEN_LANGUAGE_SET: readonly string[] = [...LINGUIST_LANGUAGES, 'none'];

/*
 * Each option runs up to the next key's letters ('source-code","language'), or to the end of the answer
 * for technologies, so it is tokenized exactly as in the training answers (BPE merges never cross into
 * a key name, but do cross quotes, commas and brackets).
 */
const TYPE_PREFIX = '{"type":"';
const AFTER_TYPE = '","language';
const AFTER_LANGUAGE = '","technologies';

/** ':["a","b"]}' for a sorted list: the end of the answer. */
const technologiesEnding = (technologies: string[]) => `":${JSON.stringify([...technologies].sort())}}`;

/** Greedy forward selection: add the technology whose completed answer is most likely, while that beats stopping. */
async function chooseTechnologies(runtime: ModelRuntime, encode: (text: string) => number[], context: DecodingState, prefix: string): Promise<string[]> {
	const chosen: string[] = [];
	while (chosen.length < MAX_TECHNOLOGIES) {
		const additions = TECHNOLOGIES.filter((technology) => !chosen.includes(technology));
		const options = [technologiesEnding(chosen), ...additions.map((technology) => technologiesEnding([...chosen, technology]))];
		const { option } = await chooseContinuation(runtime, encode, context, prefix, options);
		const index = options.indexOf(option);
		if (index === 0) break;
		chosen.push(additions[index - 1]);
	}
	return chosen.sort();
}

function promptState(runtime: ModelRuntime, tokenizer: TextTokenizer, file: DocumentInput): Promise<DecodingState> {
	return prefill(runtime, tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: classificationPrompt(file) }], true)));
}

/**
 * Among several candidate languages, the one that best explains the text the classifier reads: the
 * largest log p(text | "an excerpt of a <language> file named <name>"), the task the classifier was also
 * trained on. Scoring every token of the text decides far better than the one label after it.
 */
async function likeliestLanguage(runtime: ModelRuntime, tokenizer: TextTokenizer, file: DocumentInput, candidates: readonly string[]): Promise<string> {
	if (candidates.length === 1) return candidates[0];
	const textIds = tokenizer.encode(file.content.slice(0, CLASSIFICATION_PREFIX_CHARS));
	const scores: number[] = [];
	for (const language of candidates) {
		const promptIds = tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: excerptPrompt(language, file.fileName) }], true));
		scores.push(await continuationLogLikelihood(runtime, promptIds, textIds));
	}
	return candidates[bestIndex(scores)];
}

/** The model's classification of one document under the currently active experts. */
export async function classifyDocument(runtime: ModelRuntime, tokenizer: TextTokenizer, file: DocumentInput): Promise<DocumentAnswer> {
	const encode = (answerText: string) => tokenizer.encode(answerText);
	const context = await promptState(runtime, tokenizer, file);
	try {
		const typeChoice = await chooseContinuation(runtime, encode, context, TYPE_PREFIX, DOCUMENT_TYPES.map((t) => t + AFTER_TYPE));
		const type = typeChoice.option.slice(0, -AFTER_TYPE.length) as Classification['type'];
		const candidates = languageCandidates(file.fileName, file.content);
		const languagePrefix = `${TYPE_PREFIX}${type}","language":"`;
		const language =
			candidates.length > 0
				? await likeliestLanguage(runtime, tokenizer, file, candidates)
				: (await chooseContinuation(runtime, encode, context, languagePrefix, OPEN_LANGUAGE_SET.map((l) => l + AFTER_LANGUAGE))).option.slice(0, -AFTER_LANGUAGE.length);
		const technologies = await chooseTechnologies(runtime, encode, context, `${languagePrefix}${language}${AFTER_LANGUAGE}`);
		const classification: Classification = { type, language, technologies };
		return { classification, json: classificationAnswer(classification), languageCandidates: candidates };
	} finally {
		runtime.releaseCache(context.cache);
	}
}
