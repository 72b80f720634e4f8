// Classifies one document: Linguist's evidence chain first (evidence-chain.ts); the model decides only what it
// leaves open — the language-id expert's head (calibrated top 3, among the candidates or among all languages) when
// one is loaded and knows the candidates, else the active experts' likelihood of the text under each candidate. The type follows from the language and name (document-type.ts),
// technologies from the evidence detector (the model's own technology choice added nothing against independent
// labels: see the README). Every answer says why. Browser-safe.
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';
import {
	bestIndex,
	chooseContinuation,
	continuationLogLikelihoods,
	prefill,
	type DecodingState
} from '../runtime/closed-set-choice.ts';
import { documentTypeEvidence } from './document-type.ts';
import { languageEvidence, type EvidenceStrategy } from './evidence-chain.ts';
import type { LinguistHeuristics } from './linguist-heuristics.ts';
import { LINGUIST_LANGUAGES } from './linguist-names.ts';
import {
	CLASSIFICATION_PREFIX_CHARS,
	classificationAnswer,
	classificationPrompt,
	DOCUMENT_TYPES,
	excerptPrompt,
	type Classification
} from './taxonomy.ts';
import { technologyEvidence } from './technology-evidence.ts';
import { topThreeText, type LanguageRanking, type RankedLanguage } from './language-head.ts';

export interface DocumentInput {
	fileName: string;
	content: string;
}

/** Why each field of an answer is what it is. */
export interface AnswerEvidence {
	/** The strategy that decided the language, or "model" when the model chose. */
	languageBy: EvidenceStrategy | 'model';
	/** "modeline: C++ (emacs c++)", "heuristic .h: Objective-C (named pattern objectivec)", "model among [Modelica, Motoko] (extension .mo)". */
	language: string;
	/** "Python is source-code", "file name LICENSE is documentation". */
	type: string;
	/** One line per technology: "numpy: import numpy as np", "neo4j: language Cypher". */
	technologies: string[];
}

export interface DocumentAnswer {
	classification: Classification;
	/** The answer as canonical JSON. */
	json: string;
	/** The languages the evidence left for the model (one: decided; empty: any language). */
	languageCandidates: string[];
	evidence: AnswerEvidence;
	/** The model's top three with calibrated probabilities, when the language head decided. */
	languageRanking?: RankedLanguage[];
	/** The head's top probability was below its calibrated threshold. */
	uncertain?: boolean;
}

/** The model side of language decisions: a ranking among `candidates` (all languages when empty), or null
 * when it cannot rank them (knows fewer than two of them). */
export type LanguageRanker = (file: DocumentInput, candidates: readonly string[]) => Promise<LanguageRanking | null>;

const OPEN_LANGUAGE_SET: readonly string[] = [...LINGUIST_LANGUAGES, 'none'];

/*
 * Each option runs up to the next key's letters ('source-code","language'), so it is tokenized exactly as
 * in the training answers (BPE merges never cross into a key name, but do cross quotes and commas).
 */
const TYPE_PREFIX = '{"type":"';
const AFTER_TYPE = '","language';
const AFTER_LANGUAGE = '","technologies';

function promptState(runtime: ModelRuntime, tokenizer: TextTokenizer, file: DocumentInput): Promise<DecodingState> {
	return prefill(
		runtime,
		tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: classificationPrompt(file) }], true))
	);
}

/**
 * Among several candidate languages, the one that best explains the text the classifier reads: the
 * largest log p(text | "an excerpt of a <language> file named <name>"), the task the classifier was also
 * trained on, all candidates in one batched run. Scoring every token of the text decides far better than
 * the one label after it.
 */
async function likeliestLanguage(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	file: DocumentInput,
	candidates: readonly string[]
): Promise<string> {
	if (candidates.length === 1) return candidates[0];
	const textIds = tokenizer.encode(file.content.slice(0, CLASSIFICATION_PREFIX_CHARS));
	const prompts = candidates.map((language) =>
		tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: excerptPrompt(language, file.fileName) }], true))
	);
	return candidates[bestIndex(await continuationLogLikelihoods(runtime, prompts, textIds))];
}

/** The model's language among all Linguist languages, after its own choice of type (the answer's order). */
async function openLanguage(
	runtime: ModelRuntime,
	encode: (text: string) => number[],
	context: DecodingState
): Promise<string> {
	const choose = (prefix: string, options: string[]) => chooseContinuation(runtime, encode, context, prefix, options);
	const typeChoice = await choose(
		TYPE_PREFIX,
		DOCUMENT_TYPES.map((t) => t + AFTER_TYPE)
	);
	const choice = await choose(
		`${TYPE_PREFIX}${typeChoice.option}":"`,
		OPEN_LANGUAGE_SET.map((l) => l + AFTER_LANGUAGE)
	);
	return choice.option.slice(0, -AFTER_LANGUAGE.length);
}

interface LanguageDecision {
	language: string;
	by: EvidenceStrategy | 'model';
	reason: string;
	candidates: string[];
	ranking?: LanguageRanking;
}

/** The head's answer in words: "model among [Perl, Pod]: Perl 0.97, Pod 0.03", "uncertain" when it is. */
function rankedReason(found: { candidates: string[]; reason: string }, ranking: LanguageRanking): string {
	const among = found.candidates.length > 0 ? `[${found.candidates.join(', ')}]` : 'all languages';
	const unknown = found.candidates.filter((c) => !ranking.ranked.some((r) => r.language === c));
	const notes = [
		ranking.uncertain ? 'uncertain' : '',
		unknown.length > 0 ? `not known to the head: ${unknown.join(', ')}` : '',
		found.reason
	].filter(Boolean);
	return `model among ${among}: ${topThreeText(ranking)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** The evidence chain's decision when one strategy names a single language, else null (the model's turn). */
function evidenceDecision(found: ReturnType<typeof languageEvidence>): LanguageDecision | null {
	return found.language && found.strategy
		? { language: found.language, by: found.strategy, reason: found.reason, candidates: [found.language] }
		: null;
}

/** The language and why: the evidence chain's when it decides, else the model's among what it left. */
async function decideLanguage(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	heuristics: LinguistHeuristics,
	file: DocumentInput,
	ranker?: LanguageRanker
): Promise<LanguageDecision> {
	const found = languageEvidence(heuristics, file);
	const decided = evidenceDecision(found);
	if (decided) return decided;
	const ranking = ranker ? await ranker(file, found.candidates) : null;
	if (ranking)
		return {
			language: ranking.ranked[0].language,
			by: 'model',
			reason: rankedReason(found, ranking),
			candidates: found.candidates,
			ranking
		};
	if (found.candidates.length > 0) {
		const language = await likeliestLanguage(runtime, tokenizer, file, found.candidates);
		return {
			language,
			by: 'model' as const,
			reason: `model among [${found.candidates.join(', ')}] (${found.reason})`,
			candidates: found.candidates
		};
	}
	const context = await promptState(runtime, tokenizer, file);
	try {
		const language = await openLanguage(runtime, (text) => tokenizer.encode(text), context);
		const after = found.reason ? `; ${found.reason}` : '';
		return {
			language,
			by: 'model' as const,
			reason: `model among all languages (no modeline, name, extension or shebang evidence${after})`,
			candidates: []
		};
	} finally {
		runtime.releaseCache(context.cache);
	}
}

/** Classifies one document: the evidence chain first, the active experts' model for what it leaves open. */
export async function classifyDocument(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	heuristics: LinguistHeuristics,
	file: DocumentInput,
	ranker?: LanguageRanker
): Promise<DocumentAnswer> {
	return answerOf(file, await decideLanguage(runtime, tokenizer, heuristics, file, ranker));
}

/** The answer when Linguist's evidence chain decides the language alone (no model needed, nothing loaded); null when it leaves a choice. */
export function classifyByEvidence(heuristics: LinguistHeuristics, file: DocumentInput): DocumentAnswer | null {
	const decided = evidenceDecision(languageEvidence(heuristics, file));
	return decided && answerOf(file, decided);
}

function answerOf(file: DocumentInput, decided: LanguageDecision): DocumentAnswer {
	const type = documentTypeEvidence(decided.language, file.fileName);
	const technologies = technologyEvidence(decided.language, file.fileName, file.content);
	const classification: Classification = {
		type: type.type,
		language: decided.language,
		technologies: technologies.map((t) => t.technology)
	};
	return {
		classification,
		json: classificationAnswer(classification),
		languageCandidates: decided.candidates,
		evidence: {
			languageBy: decided.by,
			language: decided.reason,
			type: type.reason,
			technologies: technologies.map((t) => `${t.technology}: ${t.reason}`)
		},
		...(decided.ranking
			? { languageRanking: decided.ranking.ranked.slice(0, 3), uncertain: decided.ranking.uncertain }
			: {})
	};
}
