// language-breakdown.ts: bytes per language group (TSX under TypeScript), percentages of the bar's bytes,
// programming and markup in the bar unless linguist-detectable says otherwise, and nothing dropped: excluded
// and unclassified files listed with why.
import { describe, expect, it } from 'vitest';
import { barLanguageOf, languageBreakdown, type BreakdownInput } from '../../src/lib/classify/language-breakdown.ts';

const file = (
	path: string,
	bytes: number,
	language: string | null,
	extra: Partial<BreakdownInput> = {}
): BreakdownInput => ({ path, bytes, language, exclusion: null, ...extra });

describe('languageBreakdown', () => {
	const files = [
		file('a.ts', 600, 'TypeScript'),
		file('b.tsx', 200, 'TSX'),
		file('c.css', 200, 'CSS'),
		file('d.json', 5000, 'JSON'),
		file('e.md', 700, 'Markdown'),
		file('f.yml', 300, 'YAML', { detectable: true }),
		file('g.py', 900, 'Python', { detectable: false }),
		file('vendor/h.js', 10_000, null, { exclusion: { kind: 'vendored', reason: 'vendor.yml (^|/)vendors?/' } }),
		file('i.bin', 50, null, { problem: 'binary file' })
	];
	const breakdown = languageBreakdown(files);

	it('counts programming and markup bytes per group, most first, with percentages of the bar', () => {
		expect(breakdown.bar.map((s) => [s.language, s.bytes, s.files, s.percentage])).toEqual([
			['TypeScript', 800, 2, 61.54],
			['YAML', 300, 1, 23.08],
			['CSS', 200, 1, 15.38]
		]);
		expect(breakdown.bar[0]).toMatchObject({ type: 'programming', color: expect.stringMatching(/^#[0-9a-f]{6}$/i) });
		expect(breakdown.totals).toEqual({ files: 9, bytes: 17_950, barBytes: 1300 });
	});

	it('lists data, prose and linguist-detectable=false apart, and every excluded or unclassified file with why', () => {
		expect(breakdown.notCounted.map((s) => s.language)).toEqual(['JSON', 'Python', 'Markdown']);
		expect(breakdown.excluded).toEqual([
			{ path: 'vendor/h.js', bytes: 10_000, kind: 'vendored', reason: 'vendor.yml (^|/)vendors?/' }
		]);
		expect(breakdown.unclassified).toEqual([{ path: 'i.bin', bytes: 50, problem: 'binary file' }]);
	});

	it('tells which bar language one file counts under', () => {
		expect(barLanguageOf(file('x.tsx', 1, 'TSX'))).toBe('TypeScript');
		expect(barLanguageOf(file('x.json', 1, 'JSON'))).toBeNull();
		expect(barLanguageOf(file('x.json', 1, 'JSON', { detectable: true }))).toBe('JSON');
		expect(barLanguageOf(file('x.c', 1, 'C', { exclusion: { kind: 'generated', reason: 'r' } }))).toBeNull();
	});
});
