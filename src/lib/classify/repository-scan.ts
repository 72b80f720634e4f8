// Classifies a repository's files the way its breakdown needs them, the same in Node and the browser: reads the
// tree's .gitattributes / .gitignore first, then each file once; files the breakdown leaves out (excluded, with
// the reason) and files that cannot be read are reported, never dropped; the rest are classified. Pure: reading
// and classifying come in as functions.
import type { ClassifiedDocument } from './classification-session.ts';
import { GitRules, GITATTRIBUTES_FILE, GITIGNORE_FILE } from './git-rules.ts';
import type { BreakdownInput } from './language-breakdown.ts';
import type { LinguistPathRules } from './linguist-path-rules.ts';
import type { LinguistHeuristics } from './linguist-heuristics.ts';
import { languageEvidence } from './evidence-chain.ts';
import { repositoryVerdict, type RepositoryFileVerdict } from './repository-exclusions.ts';
import { describeError, isExpertError } from '../errors.ts';

/** One file of the tree: its path relative to the root (`/` separators), its size, and how to read its head. */
export interface RepositoryFile {
	path: string;
	bytes: number;
	/** The name the evidence chain reads; default: the path's last segment. */
	fileName?: string;
	read(): Promise<{ content: string } | { problem: string }>;
}

export interface ScanOptions {
	/**
	 * With Linguist's heuristics here, a file whose name, shebang and modeline leave no candidate language is
	 * unknown at once, the model not asked: the bar never counts its guess (a breakdown of a big tree stays fast).
	 */
	unknownByRules?: LinguistHeuristics;
	/**
	 * How many files are read and classified at once, ahead of the row yielded (rows still come in the order
	 * given): a `classify` that batches its calls (one worker message for many files) then gets several at once.
	 */
	lookahead?: number;
}

export interface RepositoryRow extends BreakdownInput {
	/** The classifier's answer, for files the breakdown counts. */
	answer?: ClassifiedDocument;
	/** The .gitattributes line that named the language instead ("…:3 *.inc linguist-language=PHP"). */
	languageFrom?: string;
	/** The classifier left it for later (an evidence-only pass: the model has not answered yet). */
	pending?: boolean;
}

const LOOSE_FILE: RepositoryFileVerdict = { exclusion: null, attributes: {}, sources: {} };

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/**
 * A model answer among all languages: no name, shebang or modeline rule left candidates. Linguist counts such
 * files as unknown, and so does the breakdown, to stay GitHub's bar (the guess stays in the row's answer).
 */
function openSetGuess(answer: ClassifiedDocument): boolean {
	return answer.evidence.languageBy === 'model' && answer.languageCandidates.length === 0;
}

const UNKNOWN_BY_RULES =
	"unknown: no modeline, name, extension or shebang names a language (Linguist's rules; the model is not asked in a breakdown)";

function leavesNoCandidate(heuristics: LinguistHeuristics, file: RepositoryFile, content: string): boolean {
	const found = languageEvidence(heuristics, { fileName: file.fileName ?? baseName(file.path), content });
	return !found.language && found.candidates.length === 0;
}

/** The tree's Git rules, from its .gitattributes and .gitignore files (shallowest first, as Git applies them). */
export async function gitRulesOf(files: readonly RepositoryFile[]): Promise<GitRules> {
	const rules = new GitRules();
	const ruleFiles = files
		.filter((f) => [GITATTRIBUTES_FILE, GITIGNORE_FILE].includes(baseName(f.path)))
		.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
	for (const file of ruleFiles) {
		const head = await file.read();
		if (!('content' in head)) continue;
		if (baseName(file.path) === GITATTRIBUTES_FILE) rules.addAttributes(folderOf(file.path), head.content);
		else rules.addIgnore(folderOf(file.path), head.content);
	}
	return rules;
}

/**
 * Each file's row, in the order given: excluded (with the reason), unreadable or unknown (with the problem), or
 * classified.
 * A .gitattributes linguist-language names the language without the classifier. `classify` failing for one
 * file with an ExpertError makes that file's row a problem and the scan goes on.
 */
export async function* scanRepository(
	files: readonly RepositoryFile[],
	pathRules: LinguistPathRules | null,
	git: GitRules,
	classify: (input: { path: string; fileName: string; content: string }) => Promise<ClassifiedDocument | null>,
	options: ScanOptions = {}
): AsyncGenerator<RepositoryRow> {
	const rowOf = async (file: RepositoryFile): Promise<RepositoryRow> => {
		const head = await file.read();
		const text = 'content' in head ? head.content : null;
		const verdict = pathRules ? repositoryVerdict(pathRules, git, file.path, text) : LOOSE_FILE;
		const row = (
			language: string | null,
			extra: Pick<RepositoryRow, 'problem' | 'answer' | 'languageFrom' | 'pending'> = {}
		): RepositoryRow => ({
			path: file.path,
			bytes: file.bytes,
			language,
			exclusion: verdict.exclusion,
			...(verdict.attributes.detectable === undefined ? {} : { detectable: verdict.attributes.detectable }),
			...extra
		});
		if (verdict.exclusion) return row(null);
		if (text === null) return row(null, { problem: 'problem' in head ? head.problem : 'not text' });
		if (verdict.attributes.language)
			return row(verdict.attributes.language, { languageFrom: verdict.sources.language });
		if (options.unknownByRules && leavesNoCandidate(options.unknownByRules, file, text))
			return row(null, { problem: UNKNOWN_BY_RULES });
		try {
			const answer = await classify({ path: file.path, fileName: file.fileName ?? baseName(file.path), content: text });
			if (answer === null) return row(null, { pending: true });
			return openSetGuess(answer)
				? row(null, { answer, problem: `unknown to Linguist's rules (${answer.evidence.language})` })
				: row(answer.classification.language, { answer });
		} catch (error) {
			if (!isExpertError(error)) throw error;
			return row(null, { problem: `not classified (${describeError(error)})` });
		}
	};
	const ahead = Math.max(1, options.lookahead ?? 1);
	const inFlight: Array<Promise<RepositoryRow>> = [];
	let next = 0;
	while (next < files.length || inFlight.length > 0) {
		while (next < files.length && inFlight.length < ahead) {
			const row = rowOf(files[next++]);
			row.catch(() => undefined); // rethrown when its turn comes; not unhandled if the caller stops before
			inFlight.push(row);
		}
		yield await inFlight.shift()!;
	}
}

/** One line on why a row counts as it does: its exclusion, the .gitattributes line, the evidence, or the problem. */
export function rowReason(row: RepositoryRow): string {
	if (row.exclusion) return `${row.exclusion.kind}: ${row.exclusion.reason}`;
	return row.problem ?? row.languageFrom ?? row.answer?.evidence.language ?? '';
}
