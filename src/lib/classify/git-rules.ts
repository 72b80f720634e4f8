// A tree's .gitattributes (Linguist's linguist-* attributes) and .gitignore files, matched with Git's pattern
// rules: gitignore by the `ignore` package; gitattributes by picomatch against the path itself (a pattern without
// a slash matches the base name at any depth; one that names a folder does not reach inside it; later lines win).
// Nested files apply below their folder. Browser-safe and pure.
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { languageOfAlias, LINGUIST_LANGUAGES } from './linguist-names.ts';

export const GITATTRIBUTES_FILE = '.gitattributes';
export const GITIGNORE_FILE = '.gitignore';

/** The linguist-* attributes of one path; each boolean is set only where a line decides it. */
export interface LinguistAttributes {
	language?: string;
	vendored?: boolean;
	generated?: boolean;
	documentation?: boolean;
	detectable?: boolean;
}

export type LinguistAttribute = keyof LinguistAttributes;

/** Where each decided attribute came from: ".gitattributes:3 docs/** linguist-documentation". */
export type AttributeSources = Partial<Record<LinguistAttribute, string>>;

interface AttributeLine {
	matches: (relative: string) => boolean;
	folder: string;
	values: LinguistAttributes;
	source: string;
}

const BOOLEAN_ATTRIBUTES: ReadonlyArray<[string, Exclude<LinguistAttribute, 'language'>]> = [
	['linguist-vendored', 'vendored'],
	['linguist-generated', 'generated'],
	['linguist-documentation', 'documentation'],
	['linguist-detectable', 'detectable']
];

/** One attribute token's boolean: `attr` / `attr=true` set, `-attr` / `attr=false` unset; `!attr` (unspecified) says nothing. */
function booleanOf(token: string, name: string): boolean | undefined {
	if (token === name || token === `${name}=true`) return true;
	if (token === `-${name}` || token === `${name}=false`) return false;
	return undefined;
}

/** The Linguist name of a linguist-language value (a name, an alias, or a name with dashes for spaces), or null. */
function languageOfAttribute(value: string): string | null {
	return (
		LINGUIST_LANGUAGES.find((name) => name.toLowerCase() === value.toLowerCase()) ??
		languageOfAlias(value) ??
		languageOfAlias(value.replace(/-/g, ' '))
	);
}

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

export class GitRules {
	private readonly attributeLines: AttributeLine[] = [];
	private readonly ignores: Array<{ folder: string; rules: Ignore }> = [];
	/** Lines that could not be used, with why ("…/.gitattributes:4: unknown language Foo"). */
	readonly warnings: string[] = [];

	/** Adds the .gitattributes found in `folder` ('' for the root). Attribute files must be added shallowest first. */
	addAttributes(folder: string, text: string): void {
		text.split(/\r?\n/).forEach((raw, index) => {
			const line = raw.trim();
			if (line === '' || line.startsWith('#')) return;
			const [pattern, ...tokens] = line.split(/\s+/);
			const source = `${join(folder, GITATTRIBUTES_FILE)}:${index + 1} ${line}`;
			if (pattern.startsWith('!'))
				return void this.warnings.push(
					`${source}: negative patterns are forbidden in .gitattributes (ignored, as Git does)`
				);
			const values: LinguistAttributes = {};
			for (const token of tokens) {
				for (const [name, key] of BOOLEAN_ATTRIBUTES) {
					const value = booleanOf(token, name);
					if (value !== undefined) values[key] = value;
				}
				const language = token.match(/^linguist-language=(.+)$/)?.[1];
				if (language) {
					const name = languageOfAttribute(language);
					if (name) values.language = name;
					else this.warnings.push(`${source}: unknown language ${language}`);
				}
			}
			if (Object.keys(values).length === 0) return;
			this.attributeLines.push({ matches: attributeMatcher(pattern), folder, values, source });
		});
	}

	/** Adds the .gitignore found in `folder` ('' for the root). */
	addIgnore(folder: string, text: string): void {
		this.ignores.push({ folder, rules: ignore({ allowRelativePaths: true }).add(text) });
	}

	/** The linguist-* attributes of `path` (relative to the root, `/` separators), and where each came from. */
	attributesOf(path: string): { attributes: LinguistAttributes; sources: AttributeSources } {
		const attributes: LinguistAttributes = {};
		const sources: AttributeSources = {};
		for (const line of this.attributeLines) {
			const relative = within(line.folder, path);
			if (relative === null || !line.matches(relative)) continue;
			for (const [key, value] of Object.entries(line.values) as Array<[LinguistAttribute, never]>) {
				attributes[key] = value;
				sources[key] = line.source;
			}
		}
		return { attributes, sources };
	}

	/** The .gitignore that leaves `path` out ("src/.gitignore"), or null. */
	ignoredBy(path: string): string | null {
		for (const { folder, rules } of this.ignores) {
			const relative = within(folder, path);
			if (relative !== null && relative !== '' && rules.ignores(relative)) return join(folder, GITIGNORE_FILE);
		}
		return null;
	}
}

/** `path` relative to `folder`, or null when it is not inside it. */
function within(folder: string, path: string): string | null {
	if (folder === '') return path;
	return path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : null;
}

/** Git's attribute pattern rules for one pattern (no negation; a leading `/` anchors; no slash: any depth). */
function attributeMatcher(pattern: string): (relative: string) => boolean {
	if (pattern.endsWith('/')) return () => false;
	const anchored = pattern.replace(/^\//, '');
	const anyDepth = !pattern.includes('/');
	return picomatch(anchored, { dot: true, basename: anyDepth, nobrace: true, noextglob: true });
}
