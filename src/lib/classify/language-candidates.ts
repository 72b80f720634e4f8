// The languages a file can be by its name alone, from GitHub Linguist's own table (exact file names,
// extensions, shebang interpreters), as the linguist-languages package ships it. Browser-safe.
import * as linguist from 'linguist-languages';

interface LanguageEntry {
	extensions?: readonly string[];
	filenames?: readonly string[];
	interpreters?: readonly string[];
}

function indexBy(field: keyof LanguageEntry, normalize: (key: string) => string): Map<string, string[]> {
	const index = new Map<string, string[]>();
	for (const [name, entry] of Object.entries(linguist as Record<string, LanguageEntry>)) {
		for (const key of entry[field] ?? []) {
			const list = index.get(normalize(key)) ?? [];
			if (!list.includes(name)) index.set(normalize(key), [...list, name]);
		}
	}
	return index;
}

const byFileName = indexBy('filenames', (name) => name);
const byExtension = indexBy('extensions', (extension) => extension.toLowerCase());
const byInterpreter = indexBy('interpreters', (interpreter) => interpreter);

/** Every language name Linguist knows. */
export const LINGUIST_LANGUAGES: readonly string[] = Object.keys(linguist).sort();

/** The interpreter a `#!` line names: `/usr/bin/env -S python3 -u` -> python3. */
function shebangInterpreter(content: string): string | null {
	const firstLine = content.slice(0, 300).split('\n', 1)[0];
	if (!firstLine.startsWith('#!')) return null;
	const [program = '', ...args] = firstLine.slice(2).trim().split(/\s+/);
	const name = program.split('/').pop()!;
	if (name !== 'env') return name || null;
	return args.find((word) => !word.startsWith('-')) ?? null;
}

function byLongestExtension(fileName: string): string[] {
	const lower = fileName.toLowerCase();
	for (let dot = lower.indexOf('.'); dot !== -1; dot = lower.indexOf('.', dot + 1)) {
		const found = byExtension.get(lower.slice(dot));
		if (found) return found;
	}
	return [];
}

function byShebang(content: string): string[] {
	const interpreter = shebangInterpreter(content);
	if (!interpreter) return [];
	return byInterpreter.get(interpreter) ?? byInterpreter.get(interpreter.replace(/[\d.]+$/, '')) ?? [];
}

/**
 * The candidate languages for a file, alphabetical: by exact file name, else by its longest known
 * extension (".d.ts" before ".ts"), else by its shebang interpreter; empty when nothing matches.
 */
export function languageCandidates(fileName: string, content: string): string[] {
	const byName = byFileName.get(fileName) ?? byLongestExtension(fileName);
	return [...(byName.length > 0 ? byName : byShebang(content))].sort();
}
