// GitHub Linguist's evidence chain, in Linguist's order: modeline, exact file name, shebang, extension,
// XML header, man-page section, heuristics.yml; then one rule of Expert's own (Perl code outside POD blocks is not
// Pod). Each strategy narrows the candidates; one left decides the language, several (or none) leave the choice to
// the model. Every result says why. Browser-safe.
import type { LinguistHeuristics } from './linguist-heuristics.ts';
import {
	languageOfAlias,
	languagesOfExtension,
	languagesOfFileName,
	languagesOfInterpreter,
	shebangInterpreter
} from './linguist-names.ts';

export type EvidenceStrategy =
	'modeline' | 'filename' | 'shebang' | 'extension' | 'xml' | 'manpage' | 'heuristic' | 'pod';

export interface LanguageEvidence {
	/** The language, when the evidence alone decides it. */
	language: string | null;
	/** Undecided: the languages left for the model, alphabetical (empty: any language). */
	candidates: string[];
	/** The strategy that decided or last narrowed the candidates; null when none found anything. */
	strategy: EvidenceStrategy | null;
	/** Why, in words: "modeline: C++", "heuristic .h: Objective-C (named pattern objectivec)". */
	reason: string;
}

interface StepResult {
	languages: string[];
	reason: string;
}

/** How much of a file the heuristics read, as in Linguist. */
const HEURISTICS_BYTES = 50 * 1024;
const MODELINE_LINES = 5;

// `-*- C++ -*-` or `-*- foo: bar; mode: ruby; -*-` (Emacs); `vim: set ft=perl:` or `vi: ft=sh` (Vim).
const EMACS_SHORT = /-\*-[ \t]*([^:;\s]+?)[ \t]*-\*-/;
const EMACS_LONG = /-\*-(?:[^\n]*?[ \t;])?[ \t]*mode[ \t]*:[ \t]*([^:;\s]+?)(?=[ \t;]|(?<![-*])-\*-)[^\n]*?-\*-/i;
const VIM =
	/(?:^|[ \t])(?:vim?(?:[<=>]?\d+)?|Vim(?:[<=>]?\d+)?|(?<=[ \t])ex):[^\n]*?[ \t:](?:filetype|ft|syntax)[ \t]*=(\w+)(?=$|\s|:)/m;
const XML_HEADER = /<\?xml version=|<(Solution|Project)/;
const MANPAGE_NAME = /\.(?:[1-9](?![0-9])[a-z_0-9]*|0p|n|man|mdoc)(?:\.in)?$/i;

function modeline(content: string): StepResult {
	const lines = content.split('\n');
	const header = lines.slice(0, MODELINE_LINES).join('\n');
	if (header.includes('UseVimball')) return { languages: [], reason: '' };
	const text = `${header}\n${lines.slice(-MODELINE_LINES).join('\n')}`;
	// The first modeline found counts, as in Linguist, even when it names no language Linguist knows.
	for (const [editor, pattern] of [
		['emacs', EMACS_SHORT],
		['emacs', EMACS_LONG],
		['vim', VIM]
	] as const) {
		const mode = pattern.exec(text)?.[1];
		if (!mode) continue;
		const language = languageOfAlias(mode);
		return language
			? { languages: [language], reason: `modeline: ${language} (${editor} ${mode})` }
			: { languages: [], reason: '' };
	}
	return { languages: [], reason: '' };
}

const within = (candidates: string[], languages: string[]) =>
	candidates.length > 0 ? languages.filter((l) => candidates.includes(l)) : languages;

function heuristic(heuristics: LinguistHeuristics, fileName: string, content: string): StepResult {
	const lower = fileName.toLowerCase();
	const entry = heuristics.disambiguations.find((d) => d.extensions.some((extension) => lower.endsWith(extension)));
	if (!entry) return { languages: [], reason: '' };
	const extension = entry.extensions.find((e) => lower.endsWith(e))!;
	const text = content.slice(0, HEURISTICS_BYTES);
	const rule = entry.rules.find((r) => r.matches(text));
	if (!rule || rule.languages.length === 0) return { languages: [], reason: `heuristic ${extension}: no rule matched` };
	return {
		languages: [...rule.languages].sort(),
		reason: `heuristic ${extension}: ${rule.languages.join(', ')} (${rule.condition})`
	};
}

const POD_COMMAND = /^=[a-zA-Z]/;

/** perlpod: a Pod file is documentation only, so a line of code outside the `=command … =cut` blocks (past the
 * shebang) makes a file that allows Perl and Pod a Perl program with its documentation inside. */
function embeddedPod(candidates: string[], content: string): StepResult {
	if (!candidates.includes('Pod') || !candidates.includes('Perl')) return { languages: [], reason: '' };
	let inPod = false;
	const lines = content.slice(0, HEURISTICS_BYTES).split('\n');
	for (const [index, line] of lines.entries()) {
		if (inPod) inPod = !line.startsWith('=cut');
		else if (POD_COMMAND.test(line)) inPod = !line.startsWith('=cut');
		else if (line.trim() !== '' && !(index === 0 && line.startsWith('#!'))) {
			return { languages: candidates.filter((c) => c !== 'Pod'), reason: 'code outside POD blocks' };
		}
	}
	return { languages: [], reason: '' };
}

/** What Linguist's strategies say about a file's language, before any model. */
export function languageEvidence(
	heuristics: LinguistHeuristics,
	file: { fileName: string; content: string }
): LanguageEvidence {
	const { fileName, content } = file;
	const steps: Array<[EvidenceStrategy, (candidates: string[]) => StepResult]> = [
		['modeline', () => modeline(content)],
		['filename', (c) => ({ languages: within(c, languagesOfFileName(fileName)), reason: `filename ${fileName}` })],
		[
			'shebang',
			(c) => {
				const interpreter = shebangInterpreter(content);
				return {
					languages: interpreter ? within(c, languagesOfInterpreter(interpreter)) : [],
					reason: `shebang ${interpreter}`
				};
			}
		],
		[
			'extension',
			(c) => {
				const found = languagesOfExtension(fileName);
				return { languages: found ? within(c, found.languages) : [], reason: `extension ${found?.extension}` };
			}
		],
		[
			'xml',
			(c) => ({
				languages: c.length === 0 && XML_HEADER.test(content.split('\n', 2).join('\n')) ? ['XML'] : [],
				reason: 'XML header'
			})
		],
		[
			'manpage',
			(c) => ({
				languages: c.length === 0 && MANPAGE_NAME.test(fileName) ? ['Roff', 'Roff Manpage'] : [],
				reason: 'man-page section in the name'
			})
		],
		['heuristic', () => heuristic(heuristics, fileName, content)],
		['pod', (c) => embeddedPod(c, content)]
	];
	let candidates: string[] = [];
	let strategy: EvidenceStrategy | null = null;
	const reasons: string[] = [];
	for (const [name, step] of steps) {
		const result = step(candidates);
		if (result.languages.length === 0) {
			if (result.reason.endsWith('no rule matched')) reasons.push(result.reason);
			continue;
		}
		if (result.languages.length === 1) {
			const language = result.languages[0];
			const own = name === 'modeline' || name === 'heuristic' ? result.reason : `${result.reason}: ${language}`;
			// Expert's own rule only narrows what Linguist's left, so that evidence stays in the reason.
			const reason = name === 'pod' ? [...reasons, own].join('; ') : own;
			return { language, candidates: [language], strategy: name, reason };
		}
		candidates = [...result.languages].sort();
		strategy = name;
		reasons.push(result.reason);
	}
	return { language: null, candidates, strategy, reason: reasons.join('; ') };
}
