// GitHub Linguist's name table, as the linguist-languages package ships it (today's names): which
// languages an exact file name, an extension, a shebang interpreter or a modeline alias stands for, and
// the name-only candidate list the classifier's prompt shows. Browser-safe.
import * as linguist from 'linguist-languages';

interface LanguageEntry {
	name: string;
	languageId: number;
	extensions?: readonly string[];
	filenames?: readonly string[];
	interpreters?: readonly string[];
	aliases?: readonly string[];
	type?: LanguageType;
	color?: string;
	/** The language its bytes count under in a repository's breakdown (TSX under TypeScript). */
	group?: string;
}

/** Linguist's kinds of language: only programming and markup count in GitHub's language bar by default. */
export type LanguageType = 'programming' | 'markup' | 'data' | 'prose';

export const LINGUIST_ENTRIES: readonly LanguageEntry[] = Object.values(
	linguist as unknown as Record<string, LanguageEntry>
);

function indexBy(
	field: 'extensions' | 'filenames' | 'interpreters',
	normalize: (key: string) => string
): Map<string, string[]> {
	const index = new Map<string, string[]>();
	for (const entry of LINGUIST_ENTRIES) {
		for (const key of entry[field] ?? []) {
			const list = index.get(normalize(key)) ?? [];
			if (!list.includes(entry.name)) index.set(normalize(key), [...list, entry.name].sort());
		}
	}
	return index;
}

const byFileName = indexBy('filenames', (name) => name);
const byExtension = indexBy('extensions', (extension) => extension.toLowerCase());
const byInterpreter = indexBy('interpreters', (interpreter) => interpreter);
const byAlias = new Map<string, string>();
for (const entry of LINGUIST_ENTRIES) {
	for (const alias of [
		entry.name.toLowerCase(),
		entry.name.toLowerCase().replace(/\s/g, '-'),
		...(entry.aliases ?? [])
	]) {
		if (!byAlias.has(alias)) byAlias.set(alias, entry.name);
	}
}

const byName = new Map(LINGUIST_ENTRIES.map((entry) => [entry.name, entry]));

/** A language's type, bar colour and breakdown group (itself when it has none); null for a name Linguist does not know. */
export function languageFacts(name: string): { type: LanguageType; color: string | null; group: string } | null {
	const entry = byName.get(name);
	return entry ? { type: entry.type ?? 'data', color: entry.color ?? null, group: entry.group ?? entry.name } : null;
}

/** Every language name Linguist knows. */
export const LINGUIST_LANGUAGES: readonly string[] = LINGUIST_ENTRIES.map((entry) => entry.name).sort();

/** Languages whose exact file name this is (case-sensitive, as Linguist matches). */
export function languagesOfFileName(fileName: string): string[] {
	return byFileName.get(fileName) ?? [];
}

/** The longest known extension of a file name (".d.ts" before ".ts"), lower-case, with its languages. */
export function languagesOfExtension(fileName: string): { extension: string; languages: string[] } | null {
	const lower = fileName.toLowerCase();
	for (let dot = lower.indexOf('.'); dot !== -1; dot = lower.indexOf('.', dot + 1)) {
		const languages = byExtension.get(lower.slice(dot));
		if (languages) return { extension: lower.slice(dot), languages };
	}
	return null;
}

/** The language a name or alias stands for ("c++", "cperl", "sh"), as modelines name them. */
export function languageOfAlias(alias: string): string | null {
	const lower = alias.toLowerCase();
	return byAlias.get(lower) ?? byAlias.get(lower.split(',')[0]) ?? null;
}

/**
 * The interpreter a `#!` line names, by Linguist's rules: `/usr/bin/env -S VAR=1 python3 -u` -> python3,
 * a trailing ".6" of a version dropped (python2.6 -> python2), and `sh` scripts that `exec` another program.
 */
export function shebangInterpreter(content: string): string | null {
	if (!content.startsWith('#!')) return null;
	const firstLine = content.slice(2, content.search(/\r?\n|$/));
	const [program = '', ...args] = firstLine.trim().split(/\s+/);
	let name = program.split('/').pop() ?? '';
	if (name === 'env') name = args.find((word) => !word.startsWith('-') && !/^[^\s=]+=/.test(word)) ?? '';
	// `osascript -l JavaScript` may name a language without an interpreter entry: leave it to later strategies.
	if (name === 'osascript' && args.includes('-l')) return null;
	name = name.replace(/\.\d+$/, '');
	if (name === 'sh') {
		const exec = content
			.split('\n', 5)
			.map((line) => /exec (\w+)[\s'"]+\$0[\s'"]+\$@/.exec(line))
			.find(Boolean);
		if (exec) name = exec[1];
	}
	return name || null;
}

/** Languages the shebang's interpreter stands for (also without its version digits: python3.11 -> python). */
export function languagesOfInterpreter(interpreter: string): string[] {
	return byInterpreter.get(interpreter) ?? byInterpreter.get(interpreter.replace(/[\d.]+$/, '')) ?? [];
}

/**
 * The candidate languages the classifier's prompt lists, alphabetical: by exact file name, else by its
 * longest known extension, else by its shebang interpreter; empty when nothing matches.
 */
export function languageCandidates(fileName: string, content: string): string[] {
	const byName = languagesOfFileName(fileName);
	if (byName.length > 0) return byName;
	const byExt = languagesOfExtension(fileName)?.languages ?? [];
	if (byExt.length > 0) return byExt;
	const interpreter = shebangInterpreter(content);
	return interpreter ? languagesOfInterpreter(interpreter) : [];
}

/** The Linguist name a folder stands for ("Fstar" is F*, "ProC" is Pro*C: folder names cannot hold "*"; aliases count), or null. */
export function languageOfFolderName(folder: string): string | null {
	if (LINGUIST_LANGUAGES.includes(folder)) return folder;
	return languageOfAlias(folder) ?? LINGUIST_LANGUAGES.find((name) => name.replace(/\*/g, '') === folder) ?? null;
}
