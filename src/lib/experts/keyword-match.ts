// Token- and extension-aware keyword matching for routing: ".py" (or "json" for x.json) matches the file
// extension, "{" counts as a symbol in the content, "def"/"MATCH" match whole words (upper-case ones
// case-sensitively).
export type KeywordKind = 'extension' | 'symbol' | 'word';
export type EvidenceSource = 'extension' | 'file name' | 'query' | 'content';

export interface KeywordHit {
	keyword: string;
	kind: KeywordKind;
	source: EvidenceSource;
	/** Occurrences (1 for an extension or file-name match). */
	count: number;
}

/** What a routing input looks like once tokenized (built once, matched against every expert). */
export interface TokenizedInput {
	/** Lower-case file extension with its dot (".py"), or "" when none. */
	extension: string;
	fileNameWords: string[];
	queryWords: string[];
	contentWords: string[];
	content: string;
}

const WORD = /[\p{L}\p{N}_]+/gu;
const HAS_WORD_CHAR = /[\p{L}\p{N}_]/u;

export function keywordKind(keyword: string): KeywordKind {
	if (/^\.[\p{L}\p{N}_+-]+$/u.test(keyword)) return 'extension';
	return HAS_WORD_CHAR.test(keyword) ? 'word' : 'symbol';
}

const words = (text: string): string[] => text.match(WORD) ?? [];

export function tokenizeInput(input: { fileName?: string; content?: string; query?: string }): TokenizedInput {
	const baseName = (input.fileName ?? '').split(/[\\/]/).pop() ?? '';
	const dot = baseName.lastIndexOf('.');
	return {
		extension: dot > 0 ? baseName.slice(dot).toLowerCase() : '',
		fileNameWords: words(baseName.replaceAll('_', ' ')), // file names are word lists: load_from_json
		queryWords: words(input.query ?? ''),
		contentWords: words(input.content ?? ''),
		content: input.content ?? ''
	};
}

/** Occurrences of a keyword's word sequence in a token list (case-sensitive when it has capitals). */
function countPhrase(keyword: string, tokens: string[]): number {
	const caseSensitive = keyword !== keyword.toLowerCase();
	const normalize = (token: string) => (caseSensitive ? token : token.toLowerCase());
	const phrase = words(keyword).map(normalize);
	if (phrase.length === 0) return 0;
	let count = 0;
	for (let i = 0; i + phrase.length <= tokens.length; i++) {
		if (phrase.every((part, j) => normalize(tokens[i + j]) === part)) count++;
	}
	return count;
}

function countSubstring(needle: string, haystack: string): number {
	let count = 0;
	for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
	return count;
}

/** Every place `keyword` matches the input (at most one hit per source). */
export function matchKeyword(keyword: string, input: TokenizedInput): KeywordHit[] {
	const kind = keywordKind(keyword);
	const hits: KeywordHit[] = [];
	const add = (source: EvidenceSource, count: number) => {
		if (count > 0) hits.push({ keyword, kind, source, count });
	};
	if (kind === 'extension') {
		add('extension', input.extension === keyword.toLowerCase() ? 1 : 0);
	} else if (kind === 'symbol') {
		add('content', countSubstring(keyword, input.content));
	} else {
		// a word naming the file's extension ("json" for x.json) is as strong as the dotted keyword ".json"
		if (input.extension === `.${keyword.toLowerCase()}`) add('extension', 1);
		else add('file name', Math.min(1, countPhrase(keyword, input.fileNameWords)));
		add('query', countPhrase(keyword, input.queryWords));
		add('content', countPhrase(keyword, input.contentWords));
	}
	return hits;
}
