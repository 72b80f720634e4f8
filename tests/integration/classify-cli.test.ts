// `expert classify` with the shipped embedded model and experts, as the README's first command runs it:
// the sample folder gives one valid answer per file (language among Linguist's candidates, with its evidence),
// bad files are reported without stopping the run, and bad usage is a one-line error. About 25 s.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { languageCandidates } from '../../src/lib/classify/linguist-names.ts';
import { DOCUMENT_TYPES, TECHNOLOGIES } from '../../src/lib/classify/taxonomy.ts';
import { expectOneLineFailure, runExpert } from '../fixtures/expert-cli.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const SAMPLES = path.join(REPO, 'datasets/samples');
/** The linguist folder each sample came from (datasets/samples/README.md). */
const SAMPLE_LANGUAGES: Record<string, string> = {
	'AdditiveWave.pyde': 'Python', base64url: 'Rust', 'load_from_json.cypher': 'Cypher', 'manifest.webmanifest': 'JSON', 'symlink.md': 'Markdown',
	'229Q.yaml': 'YAML', '99-bottles-of-beer': 'Shell', 'Field.h': 'C', 'classes.ts': 'TypeScript', 'create_stuff.sql': 'SQL', 'pages.html': 'HTML',
	'CsvStreamer.h': 'C++', 'Siesta.h': 'Objective-C', 'fib.pl': 'Perl', 'gen-go-linguist-thrift.go': 'Go'
};
const work = mkdtempSync(path.join(tmpdir(), 'classify-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Row {
	path: string;
	type: string;
	language: string;
	technologies: string[];
	experts: string[];
	languageCandidates: string[];
	evidence: { languageBy: string; language: string; type: string; technologies: string[] };
}

describe('expert classify', () => {
	it('classifies the sample folder: every labelled sample right, every answer with its evidence', async () => {
		const result = await runExpert(['classify', SAMPLES, '--json', '--threads', '1']);
		expect(result.code, result.stderr).toBe(0);
		const { files, skipped, summary } = JSON.parse(result.stdout) as { files: Row[]; skipped: unknown[]; summary: { classified: number } };
		expect(skipped).toEqual([]);
		expect(files).toHaveLength(17); // 15 samples + README.md + LICENSE
		expect(summary.classified).toBe(17);
		for (const row of files) {
			expect(DOCUMENT_TYPES).toContain(row.type);
			for (const technology of row.technologies) expect(TECHNOLOGIES).toContain(technology);
			expect(row.experts.some((id) => id.startsWith('document-classifier@'))).toBe(true);
			const candidates = languageCandidates(path.basename(row.path), '');
			if (candidates.length > 0) expect(candidates).toContain(row.language);
			expect(row.evidence.language, row.path).toMatch(/\S/);
			expect(row.evidence.type).toMatch(new RegExp(` is ${row.type}$`));
			expect(row.evidence.technologies.map((line) => line.split(':')[0])).toEqual(row.technologies);
		}
		const byName = (name: string) => files.find((row) => path.basename(row.path) === name)!;
		expect(byName('Siesta.h').evidence).toMatchObject({ languageBy: 'heuristic', language: 'heuristic .h: Objective-C (named pattern objectivec)' });
		expect(byName('99-bottles-of-beer').evidence).toMatchObject({ languageBy: 'shebang', language: 'shebang bash: Shell' });
		expect(byName('load_from_json.cypher').evidence.technologies).toEqual(['neo4j: language Cypher']);
		const labelled = files.filter((row) => path.basename(row.path) in SAMPLE_LANGUAGES);
		const right = labelled.filter((row) => SAMPLE_LANGUAGES[path.basename(row.path)] === row.language);
		console.log(`sample folder: ${right.length}/${labelled.length} languages right`);
		expect(labelled).toHaveLength(15);
		expect(right.map((row) => path.basename(row.path)).sort()).toEqual(Object.keys(SAMPLE_LANGUAGES).sort());
	});

	it('reports binary and empty files without stopping, and prints CSV with --experts none', async () => {
		writeFileSync(path.join(work, 'blob.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
		writeFileSync(path.join(work, 'empty.txt'), '');
		writeFileSync(path.join(work, 'hello.py'), 'import sys\n\ndef main():\n    print("hello")\n');
		const csv = await runExpert(['classify', work, '--csv', '--experts', 'none', '--threads', '1']);
		expect(csv.code, csv.stderr).toBe(0);
		const lines = csv.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe('file,type,language,technologies,language evidence,type evidence,technology evidence,experts');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/hello\.py,source-code,Python,,extension \.py: Python,Python is source-code,,$/);
		// CSV has no place for them, so skipped files are reported on stderr, one line each.
		expect(csv.stderr).toContain(`skipped ${path.join(work, 'blob.bin')}: binary file`);
		expect(csv.stderr).toContain(`skipped ${path.join(work, 'empty.txt')}: empty file`);
		const json = JSON.parse((await runExpert(['classify', work, '--json', '--experts', 'none', '--threads', '1'])).stdout);
		expect(json.skipped).toEqual([
			{ path: path.join(work, 'blob.bin'), problem: 'binary file' },
			{ path: path.join(work, 'empty.txt'), problem: 'empty file' }
		]);
		expect(json.files[0].experts).toEqual([]);
		const nothing = await runExpert(['classify', path.join(work, 'empty.txt'), '--experts', 'none', '--threads', '1']);
		expect(nothing.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 files classified, 1 skipped in [\d.]+ s$/);
		const one = await runExpert(['classify', path.join(work, 'hello.py'), '--experts', 'none', '--threads', '1']);
		expect(one.stdout).toMatch(/\n1 file classified, 0 skipped in [\d.]+ s \(median [\d.]+ ms per file\)\n/);
	});

	it('reports every path it cannot classify and keeps going: missing, dangling, FIFO, folder link; names print escaped', async () => {
		const folder = path.join(work, 'odd');
		mkdirSync(path.join(folder, 'sub'), { recursive: true });
		copyFileSync(path.join(SAMPLES, 'fib.pl'), path.join(folder, 'fib.pl'));
		writeFileSync(path.join(folder, 'a\u001b[2Jb.txt'), 'plain words\n');
		symlinkSync('/nonexistent-target', path.join(folder, 'dangling'));
		symlinkSync(path.join(SAMPLES, 'Field.h'), path.join(folder, 'linked.h'));
		symlinkSync(SAMPLES, path.join(folder, 'sub', 'samples-link'));
		execFileSync('mkfifo', [path.join(folder, 'fifo')]);
		const missing = path.join(work, 'nope.txt');
		const loop = path.join(work, 'loop');
		symlinkSync(loop, loop);
		const json = await runExpert(['classify', folder, missing, loop, '/dev/zero', '--json', '--threads', '1']);
		expect(json.code, json.stderr).toBe(0);
		const { files, skipped } = JSON.parse(json.stdout) as { files: Row[]; skipped: Array<{ path: string; problem: string }> };
		expect(files.map((row) => path.basename(row.path)).sort()).toEqual(['a\u001b[2Jb.txt', 'fib.pl', 'linked.h']);
		expect(skipped).toEqual([
			{ path: path.join(folder, 'dangling'), problem: 'dangling symbolic link' },
			{ path: path.join(folder, 'fifo'), problem: 'not a regular file (device, FIFO or socket)' },
			{ path: path.join(folder, 'sub', 'samples-link'), problem: 'symbolic link to a folder, not followed' },
			{ path: missing, problem: 'no such file or folder' },
			{ path: loop, problem: 'symbolic link loop' },
			{ path: '/dev/zero', problem: 'not a regular file (device, FIFO or socket)' }
		]);
		const table = await runExpert(['classify', folder, '--threads', '1']);
		expect(table.stdout).not.toContain('\u001b');
		expect(table.stdout).toContain('a\\x1b[2Jb.txt');
	});

	it('leaves out an expert package whose manifest does not parse, with a warning, and reads packages linked in', async () => {
		const experts = path.join(work, 'experts-mixed');
		mkdirSync(path.join(experts, 'broken-v1'), { recursive: true });
		writeFileSync(path.join(experts, 'broken-v1', 'manifest.json'), '{"name": ');
		for (const entry of readdirSync(path.join(REPO, 'experts'))) symlinkSync(path.join(REPO, 'experts', entry), path.join(experts, entry));
		const result = await runExpert(['classify', path.join(SAMPLES, 'fib.pl'), '--experts-dir', experts, '--json', '--threads', '1']);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toMatch(new RegExp(`^warning: expert package ${path.join(experts, 'broken-v1')} left out: .*manifest\\.json: `, 'm'));
		const { files } = JSON.parse(result.stdout) as { files: Row[] };
		expect(files[0]).toMatchObject({ language: 'Perl' });
		expect(files[0].experts.some((id) => id.startsWith('document-classifier@'))).toBe(true);
	});

	it('fails with one line on bad usage', async () => {
		expectOneLineFailure(await runExpert(['classify', path.join(work, 'missing-folder')]), /missing-folder: no such file or folder/);
		expectOneLineFailure(await runExpert(['classify', work, '--json', '--csv']), /--json, --jsonl and --csv cannot be combined/);
		expectOneLineFailure(await runExpert(['classify', work, '--experts', 'no-such-expert']), /no-such-expert/);
	});
});
