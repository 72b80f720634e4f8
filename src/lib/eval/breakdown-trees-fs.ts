// The real project trees `expert eval` compares repository breakdowns on: Debian 12 source packages in several
// languages each, none on ../shared/eval-reserved.md (checked when fetched), none installed on the machine that
// chose them, none in the language-id training data. Fetched once into eval-data/breakdown-trees/<name>/tree.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CORPORA_DIR, REPO_ROOT } from '../datasets/corpus-fs.ts';
import { ensureDebSrc, fetchSourcePackage, reservedProjects } from '../datasets/debian-sources-fs.ts';

export const DEFAULT_BREAKDOWN_TREES_DIR = path.join(REPO_ROOT, 'eval-data/breakdown-trees');

/** Source package → what it is written in (for the report's reader; the comparison does not use it). */
export const BREAKDOWN_TREE_PACKAGES: Readonly<Record<string, string>> = {
	fzf: 'Go, Shell, Vim script, Ruby',
	htop: 'C, Shell, Python',
	'lua5.4': 'C and Lua',
	devscripts: 'Perl, Shell, Python',
	lintian: 'Perl, Shell',
	tcllib: 'Tcl, C, HTML',
	'php-twig': 'PHP, Twig',
	cmdliner: 'OCaml',
	googletest: 'C++, Python, CMake',
	icinga2: 'C++, CMake, Shell, SQL'
};

const reservedFile = path.join(path.dirname(DEFAULT_CORPORA_DIR), 'eval-reserved.md');

/** Downloads the trees not fetched yet (apt-get source; a bookworm deb-src entry is added when missing). */
export async function fetchBreakdownTrees(dir: string, log: (line: string) => void): Promise<void> {
	await ensureDebSrc();
	const reserved = existsSync(reservedFile) ? reservedProjects(reservedFile).github : [];
	for (const name of Object.keys(BREAKDOWN_TREE_PACKAGES)) {
		const fetched = await fetchSourcePackage(name, dir, reserved);
		log(`breakdown tree ${name} ${fetched.version}`);
	}
}

/** The fetched trees: name, version and root folder. */
export function breakdownTrees(dir: string): Array<{ name: string; root: string }> {
	return Object.keys(BREAKDOWN_TREE_PACKAGES)
		.filter((name) => existsSync(path.join(dir, name, 'done')))
		.map((name) => ({ name, root: path.join(dir, name, 'tree') }));
}
