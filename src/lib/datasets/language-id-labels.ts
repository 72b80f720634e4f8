// How a training file for language identification gets its label, by what is certain only: Linguist's
// modeline, file name, shebang, unique extension, XML header or man-page section; or, for a name Linguist's
// rules leave ambiguous, the language the project is written in (project provenance), and only when Linguist's
// own heuristics do not name another language. A heuristic guess alone never labels.
import { languageEvidence } from '../classify/evidence-chain.ts';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';

export interface CertainLabel {
	language: string;
	/** "extension .c", "shebang python3", "provenance .h (a C project)". */
	rule: string;
}

const CERTAIN_STRATEGIES = new Set(['modeline', 'filename', 'shebang', 'extension', 'xml', 'manpage']);

/**
 * Extensions whose other candidates are niche formats that real projects do not mix in with these (.md: GCC
 * machine descriptions; .json: OpenAPI; .yml: MiniYAML): in any project they are the common language. Still
 * only where Linguist's heuristics do not name another language.
 */
export const DOCUMENT_PROVENANCE: Readonly<Record<string, string>> = {
	'.md': 'Markdown',
	'.json': 'JSON',
	'.yml': 'YAML',
	'.yaml': 'YAML',
	'.html': 'HTML',
	// Man-page sections (Roff or Roff Manpage by name): a project's man pages, where the heuristics agree.
	...Object.fromEntries(['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((section) => [`.${section}`, 'Roff Manpage']))
};

function extensionOf(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(dot).toLowerCase() : '';
}

/** The file's certain label, or null when only a guess could name its language. */
export function certainLabel(
	heuristics: LinguistHeuristics,
	file: { fileName: string; content: string },
	project: { language?: string; ambiguous?: Readonly<Record<string, string>> } = {}
): CertainLabel | null {
	const evidence = languageEvidence(heuristics, file);
	if (evidence.language && evidence.strategy && CERTAIN_STRATEGIES.has(evidence.strategy)) {
		return { language: evidence.language, rule: evidence.reason.split(':')[0] || evidence.strategy };
	}
	const extension = extensionOf(file.fileName);
	// The heuristics may have narrowed the name's languages: the project's language must still be among them.
	const allowed = evidence.language ? [evidence.language] : evidence.candidates;
	const declared = project.ambiguous?.[extension] ?? DOCUMENT_PROVENANCE[extension];
	if (declared && (allowed.length === 0 || allowed.includes(declared)))
		return { language: declared, rule: `provenance ${extension} (${declared} in this project)` };
	// The project's own language, where the name allows it (.rs in a Rust crate, .php in a PHP library).
	if (project.language && allowed.includes(project.language))
		return { language: project.language, rule: `provenance ${extension} (a ${project.language} project)` };
	return null;
}
