// `expert classify <folder> --breakdown` with the embedded model on tests/fixtures/repository (real files,
// PROVENANCE.md): GitHub's bar from the files that count, every excluded file with its reason in the table and
// in --json, .gitattributes honoured; bad usage is a one-line error.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineFailure, runExpert } from '../fixtures/expert-cli.ts';

const TREE = path.resolve(import.meta.dirname, '../fixtures/repository');

interface BreakdownJson {
	languages: { results: Record<string, { bytes: number; files: number; percentage: number; type: string }> };
	notCounted: { results: Record<string, { bytes: number; files: number }> };
	files: { results: Record<string, string> };
	excluded: { results: Record<string, { kind: string; reason: string }> };
	answers: Array<{ path: string; evidence: { language: string } }>;
}

describe('expert classify --breakdown', () => {
	it('prints the bar, the rest apart and every excluded file with why (--json)', async () => {
		const result = await runExpert(['classify', TREE, '--breakdown', '--json', '--threads', '1'], { cwd: TREE });
		expect(result.code, result.stderr).toBe(0);
		const report = JSON.parse(result.stdout) as BreakdownJson;
		const at = (file: string) => path.join(TREE, file);
		expect(
			Object.keys(report.excluded.results)
				.map((p) => path.relative(TREE, p))
				.sort()
		).toEqual(
			[
				...['.gitattributes', '.gitignore', 'Cargo.lock', 'README', 'build/lzio.c', 'etc/lfunc.c'],
				...['guide/util.lua', 'proto/DebugExtOptionsProtoBuf.java', 'third/lapi.h'],
				...['vendor/jquery.flot-0.8.1.time.min.js', 'web/Main.js.map', 'web/flot-time.js', 'web/stomp.js']
			].sort()
		);
		expect(report.excluded.results[at('web/stomp.js')]).toEqual({
			kind: 'generated',
			reason: 'generated.rb compiled_coffeescript'
		});
		expect(report.excluded.results[at('build/lzio.c')].kind).toBe('gitignored');
		expect(report.files.results[at('src/lstring.h')]).toBe('C++'); // linguist-language
		expect(report.files.results[at('src/lstring.c')]).toBe('C');
		const bar = report.languages.results;
		expect(Object.keys(bar).sort()).toEqual(['C', 'C++', 'HTML', 'JSON', 'Lua']);
		expect(bar.JSON.files).toBe(1); // linguist-detectable: only data/pass3.json counts
		expect(report.notCounted.results.JSON.files).toBe(1);
		expect(bar.Lua.files).toBe(1); // vendor/say_spec.lua kept by -linguist-vendored; src/say.lua is -linguist-detectable
		expect(Object.values(bar).reduce((sum, s) => sum + s.percentage, 0)).toBeCloseTo(100, 1);
		expect(report.answers.find((a) => a.path === at('src/lstring.h'))?.evidence.language).toBe(
			'.gitattributes:2 *.h linguist-language=C++'
		);
	}, 120_000);

	it('prints the table with each excluded file and its reason', async () => {
		const result = await runExpert(['classify', TREE, '--breakdown', '--threads', '1']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^language\s+bytes\s+files\s+share$/m);
		expect(result.stdout).toMatch(/^C\s+7,499\s+1\s+\d+\.\d\d%/m);
		expect(result.stdout).toContain(
			`${path.join(TREE, 'guide/util.lua')}  documentation: .gitattributes:6 guide/** linguist-documentation`
		);
		expect(result.stdout).toMatch(/excluded \(13 files\)/);
	}, 120_000);

	it('refuses a file, a missing folder and outputs it cannot give, in one line', async () => {
		expectOneLineFailure(
			await runExpert(['classify', path.join(TREE, 'README'), '--breakdown']),
			/README: --breakdown reads a folder \(a repository\), not a file/
		);
		expectOneLineFailure(await runExpert(['classify', path.join(TREE, 'nope'), '--breakdown']), /nope: no such folder/);
		expectOneLineFailure(
			await runExpert(['classify', TREE, '--breakdown', '--csv']),
			/--breakdown reads folders: .*--csv/,
			2
		);
	}, 60_000);
});
