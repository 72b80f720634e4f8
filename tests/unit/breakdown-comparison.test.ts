// breakdown-comparison.ts: each side's bar shares, the languages above 5% off by more than 2 points, and every
// file counted differently with Expert's reason, largest first.
import { describe, expect, it } from 'vitest';
import { compareBreakdowns, expertCounted, referenceCounted } from '../../src/lib/eval/breakdown-comparison.ts';

describe('compareBreakdowns', () => {
	const ours = expertCounted([
		{ path: 'a.c', bytes: 900, language: 'C', exclusion: null, why: 'extension .c: C' },
		{ path: 'makefile.unix', bytes: 100, language: 'Makefile', exclusion: null, why: 'model' },
		{ path: 'x.tsx', bytes: 40, language: 'TSX', exclusion: null },
		{ path: 'notes.json', bytes: 500, language: 'JSON', exclusion: null }
	]);
	const theirs = [referenceCounted({ path: 'a.c', bytes: 900 }, 'C'), referenceCounted({ path: 'makefile.unix', bytes: 100 }, null), referenceCounted({ path: 'x.tsx', bytes: 40 }, 'TypeScript'), referenceCounted({ path: 'notes.json', bytes: 500 }, 'JSON')];
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
		expect(comparison.differingFiles).toEqual([{ path: 'makefile.unix', bytes: 100, expert: 'Makefile', expertWhy: 'model', reference: null }]);
	});
});
