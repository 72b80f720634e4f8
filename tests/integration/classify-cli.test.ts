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

	it('fails with one line on bad usage', async () => {
		expectOneLineFailure(await runExpert(['classify', path.join(work, 'missing-folder')]), /missing-folder: no such file or folder/);
		expectOneLineFailure(await runExpert(['classify', SAMPLES, '--json', '--csv']), /--json, --jsonl and --csv cannot be combined/);
		expectOneLineFailure(await runExpert(['classify', SAMPLES, '--experts', 'no-such-expert']), /no-such-expert/);
		expectOneLineFailure(await runExpert(['classify', work]), /^expert: no files under /);
	});
});
