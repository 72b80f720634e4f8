// `expert classify` with the shipped embedded model and experts, as the README's first command runs it:
// the sample folder gives one valid answer per file (language among Linguist's candidates, with its evidence),
// and bad usage is a one-line error (bad files and paths: tests/reliability/cli-inputs.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
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
	'AdditiveWave.pyde': 'Python',
	base64url: 'Rust',
	'load_from_json.cypher': 'Cypher',
	'manifest.webmanifest': 'JSON',
	'symlink.md': 'Markdown',
	'229Q.yaml': 'YAML',
	'99-bottles-of-beer': 'Shell',
	'Field.h': 'C',
	'classes.ts': 'TypeScript',
	'create_stuff.sql': 'SQL',
	'pages.html': 'HTML',
	'CsvStreamer.h': 'C++',
	'Siesta.h': 'Objective-C',
	'fib.pl': 'Perl',
	'gen-go-linguist-thrift.go': 'Go'
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
		const { files, skipped, summary } = JSON.parse(result.stdout) as {
			files: Row[];
			skipped: unknown[];
			summary: { classified: number };
		};
		expect(skipped).toEqual([]);
		expect(files).toHaveLength(17); // 15 samples + README.md + LICENSE
		expect(summary.classified).toBe(17);
		for (const row of files) {
			expect(DOCUMENT_TYPES).toContain(row.type);
			for (const technology of row.technologies) expect(TECHNOLOGIES).toContain(technology);
			// The language head answers what the evidence leaves open; the classifier stack otherwise.
			expect(
				row.experts.some((id) =>
					id.startsWith(row.evidence.languageBy === 'model' ? 'language-id@' : 'document-classifier@')
				),
				row.path
			).toBe(true);
			const candidates = languageCandidates(path.basename(row.path), '');
			if (candidates.length > 0) expect(candidates).toContain(row.language);
			expect(row.evidence.language, row.path).toMatch(/\S/);
			expect(row.evidence.type).toMatch(new RegExp(` is ${row.type}$`));
			expect(row.evidence.technologies.map((line) => line.split(':')[0])).toEqual(row.technologies);
		}
		const byName = (name: string) => files.find((row) => path.basename(row.path) === name)!;
		expect(byName('Siesta.h').evidence).toMatchObject({
			languageBy: 'heuristic',
			language: 'heuristic .h: Objective-C (named pattern objectivec)'
		});
		expect(byName('99-bottles-of-beer').evidence).toMatchObject({
			languageBy: 'shebang',
			language: 'shebang bash: Shell'
		});
		expect(byName('load_from_json.cypher').evidence.technologies).toEqual(['neo4j: language Cypher']);
		const labelled = files.filter((row) => path.basename(row.path) in SAMPLE_LANGUAGES);
		const right = labelled.filter((row) => SAMPLE_LANGUAGES[path.basename(row.path)] === row.language);
		console.log(`sample folder: ${right.length}/${labelled.length} languages right`);
		expect(labelled).toHaveLength(15);
		expect(right.map((row) => path.basename(row.path)).sort()).toEqual(Object.keys(SAMPLE_LANGUAGES).sort());
	});

	it('names the language of standard input (a pasted snippet) with the top 3 and their probabilities', async () => {
		const rust =
			'use std::collections::HashMap;\n\nfn main() {\n    let mut counts: HashMap<&str, usize> = HashMap::new();\n    for word in "a b a".split_whitespace() {\n        *counts.entry(word).or_insert(0) += 1;\n    }\n    println!("{:?}", counts);\n}\n';
		const result = await runExpert(['classify', '-', '--json', '--threads', '1'], { stdin: rust });
		expect(result.code, result.stderr).toBe(0);
		const [row] = (
			JSON.parse(result.stdout) as {
				files: Array<Row & { languageRanking: Array<{ language: string; probability: number }>; uncertain: boolean }>;
			}
		).files;
		expect(row.path).toBe('-');
		expect(row.evidence.languageBy).toBe('model');
		expect(row.languageRanking).toHaveLength(3);
		const total = row.languageRanking.reduce((sum, r) => sum + r.probability, 0);
		expect(total).toBeLessThanOrEqual(1.0001);
		expect(row.languageRanking[0].probability).toBeGreaterThanOrEqual(row.languageRanking[1].probability);
		expect(row.language).toBe(row.languageRanking[0].language);
		expect(row.evidence.language).toMatch(/^model among all languages: [^,]+ \d\.\d\d, [^,]+ \d\.\d\d, [^,]+ \d\.\d\d/);
		console.log(`stdin Rust snippet: ${row.evidence.language}`);
		// Nine lines are little to go on: Rust must be among the three, and a wrong first answer must say it is unsure.
		expect(row.languageRanking.map((r) => r.language)).toContain('Rust');
		if (row.language !== 'Rust') expect(row.uncertain).toBe(true);
		// A name for standard input feeds the evidence chain: Linguist decides, no model.
		const named = await runExpert(['classify', '--stdin', '--name', 'main.py', '--json'], { stdin: 'print("hi")\n' });
		expect(JSON.parse(named.stdout).files[0]).toMatchObject({
			language: 'Python',
			evidence: { languageBy: 'extension' }
		});
	});

	it('fails with one line on bad usage', async () => {
		expectOneLineFailure(await runExpert(['classify', '-'], { stdin: '' }), /^expert: standard input: empty input$/);
		expectOneLineFailure(
			await runExpert(['classify', '-'], { stdin: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]) }),
			/^expert: standard input: binary file$/
		);
		expectOneLineFailure(await runExpert(['classify']), /nothing to classify: give files or folders, or -/);
		expectOneLineFailure(await runExpert(['classify', SAMPLES, '--name', 'x.py']), /--name names standard input/, 2);
		expectOneLineFailure(
			await runExpert(['classify', path.join(work, 'missing-folder')]),
			/missing-folder: no such file or folder/
		);
		expectOneLineFailure(
			await runExpert(['classify', SAMPLES, '--json', '--csv']),
			/--json, --jsonl and --csv cannot be combined/,
			2
		);
		expectOneLineFailure(await runExpert(['classify', SAMPLES, '--experts', 'no-such-expert']), /no-such-expert/);
		expectOneLineFailure(await runExpert(['classify', work]), /^expert: no files under /);
	});
});
