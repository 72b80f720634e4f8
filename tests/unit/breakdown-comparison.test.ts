// breakdown-comparison.ts: each side's bar shares, the languages above 5% off by more than 2 points, and every
// file counted differently with Expert's reason, largest first.
import { describe, expect, it } from 'vitest';
import {
	compareBreakdowns,
	expertCounted,
	offLanguageGroups,
	referenceCounted
} from '../../src/lib/eval/breakdown-comparison.ts';

describe('compareBreakdowns', () => {
	const ours = expertCounted([
		{ path: 'a.c', bytes: 900, language: 'C', exclusion: null, why: 'extension .c: C' },
		{ path: 'makefile.unix', bytes: 100, language: 'Makefile', exclusion: null, why: 'model' },
		{ path: 'x.tsx', bytes: 40, language: 'TSX', exclusion: null },
		{ path: 'notes.json', bytes: 500, language: 'JSON', exclusion: null }
	]);
	const theirs = [
		referenceCounted({ path: 'a.c', bytes: 900 }, 'C'),
		referenceCounted({ path: 'makefile.unix', bytes: 100 }, null),
		referenceCounted({ path: 'x.tsx', bytes: 40 }, 'TypeScript'),
		referenceCounted({ path: 'notes.json', bytes: 500 }, 'JSON')
	];
	const comparison = compareBreakdowns('tree', 'linguist-js', ours, theirs);

	it('puts both sides side by side and flags languages above 5% off by more than 2 points', () => {
		expect(comparison.shares).toEqual([
			{ language: 'C', expert: 86.54, reference: 95.74 },
			{ language: 'Makefile', expert: 9.62, reference: 0 },
			{ language: 'TypeScript', expert: 3.85, reference: 4.26 }
		]);
		expect(comparison.offBy.map((s) => s.language)).toEqual(['C', 'Makefile']);
	});

	it('lists only the files counted differently, with why', () => {
		expect(comparison.differingFiles).toEqual([
			{ path: 'makefile.unix', bytes: 100, expert: 'Makefile', expertWhy: 'model', reference: null }
		]);
	});
});

describe('offLanguageGroups', () => {
	it('groups the files that move an off language by (Expert, reference, extension), with the largest as the example', () => {
		const ours = expertCounted([
			{ path: 'main.c', bytes: 500, language: 'C', exclusion: null },
			{
				path: 'tags/a.tag',
				bytes: 300,
				language: 'Java Server Pages',
				exclusion: null,
				why: 'extension .tag: Java Server Pages'
			},
			{
				path: 'tags/b.tag',
				bytes: 200,
				language: 'Java Server Pages',
				exclusion: null,
				why: 'extension .tag: Java Server Pages'
			},
			{ path: 'tool', bytes: 40, language: 'Shell', exclusion: null, why: 'shebang sh: Shell' }
		]);
		const theirs = [
			referenceCounted({ path: 'main.c', bytes: 500 }, 'C'),
			referenceCounted({ path: 'tags/a.tag', bytes: 300 }, null),
			referenceCounted({ path: 'tags/b.tag', bytes: 200 }, null),
			referenceCounted({ path: 'tool', bytes: 40 }, 'Perl')
		];
		const comparison = compareBreakdowns('tree', 'GitHub Linguist', ours, theirs);
		expect(comparison.offBy.map((s) => s.language)).toEqual(['C', 'Java', 'Perl']);
		expect(offLanguageGroups(comparison)).toEqual([
			{
				expert: 'Java',
				reference: null,
				extension: '.tag',
				files: 2,
				bytes: 500,
				example: { path: 'tags/a.tag', expertWhy: 'extension .tag: Java Server Pages' }
			},
			{
				expert: 'Shell',
				reference: 'Perl',
				extension: '(none)',
				files: 1,
				bytes: 40,
				example: { path: 'tool', expertWhy: 'shebang sh: Shell' }
			}
		]);
	});

	it("lists the files that change the total when none of an off language's own files differ", () => {
		const ours = expertCounted([
			{ path: 'a.c', bytes: 960, language: 'C', exclusion: null },
			{ path: 'htop.1.in', bytes: 40, language: 'Roff Manpage', exclusion: null, why: 'man-page section in the name' }
		]);
		const comparison = compareBreakdowns('tree', 'linguist-js', ours, [
			referenceCounted({ path: 'a.c', bytes: 960 }, 'C'),
			referenceCounted({ path: 'htop.1.in', bytes: 40 }, null)
		]);
		expect(comparison.offBy.map((s) => s.language)).toEqual(['C']);
		expect(offLanguageGroups(comparison).map((g) => [g.expert, g.reference, g.extension])).toEqual([
			['Roff', null, '.in']
		]);
	});
});
