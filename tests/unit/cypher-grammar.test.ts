// The Cypher grammar for constrained decoding: random token walks over the embedded tokenizer's vocabulary,
// under random budgets, always end in a query that Neo4j's ANTLR grammar parses; the queries the training
// generator writes are in the grammar; clauses out of order and unfinished queries are not.
import { describe, expect, it } from 'vitest';
import { cypherGrammar } from '../../src/lib/constrain/cypher-grammar.ts';
import { cypherSyntaxErrors } from '../../src/lib/datasets/cypher-syntax.ts';
import { loadTokenizer } from '../../src/lib/runtime/tokenizer.ts';
import { DEFAULT_MODEL_DIR } from '../../src/cli/commands/model-options.ts';
import { randomWalks } from '../fixtures/constraint-walks.ts';

const grammar = cypherGrammar([]);
const IN_GRAMMAR = [
	'MATCH (n:Team)\nRETURN n.name',
	"CREATE (n:Movie {title: 'Alien', released: 1979})\nRETURN n",
	'MATCH (n:Project)\nRETURN count(n) AS count',
	"MERGE (n:Station {name: 'Market'})\nON CREATE SET n.zone = 1\nRETURN n",
	'MATCH (a:Person)-[:KNOWS*1..3]->(b) WHERE a.age > 30 AND NOT b.name STARTS WITH "x" RETURN DISTINCT b.name AS name ORDER BY name DESC SKIP 1 LIMIT 5',
	'OPTIONAL MATCH (a)<-[r:R|S]-(b)\nWITH a, collect(b) AS bs\nUNWIND bs AS b\nRETURN a, size(bs), b.x IS NOT NULL;',
	'MATCH (n) DETACH DELETE n',
	'MATCH (n {id: $id}) SET n.seen = true, n += {a: [1, 2.5]}\nREMOVE n:Old\nRETURN CASE WHEN n.a > 1 THEN 1 ELSE 0 END'
];
const NOT_COMPLETE = [
	...['MATCH (n)', 'RETURN n MATCH (n)', 'MATCH (n) RETURN', 'match (n) return n'],
	...['MATCH (n:) RETURN n', "RETURN 'open"]
];

describe('Cypher grammar', () => {
	it('holds the subset of Cypher it promises, each query also parsing with Neo4j grammar', () => {
		for (const query of IN_GRAMMAR) {
			expect(grammar.match(query), query).toBe('complete');
			expect(cypherSyntaxErrors(query), query).toEqual([]);
		}
	});

	it('does not complete unfinished or disordered queries', () => {
		for (const query of NOT_COMPLETE) expect(grammar.match(query), query).not.toBe('complete');
	});

	it('random token walks over the real vocabulary, under random budgets, always parse with Neo4j grammar (150 walks)', async () => {
		const tokenizer = await loadTokenizer(DEFAULT_MODEL_DIR);
		const texts = tokenizer.tokenTexts();
		const factory = cypherGrammar(texts);
		const failures: string[] = [];
		for (const seed of [11, 12, 13]) {
			for (const walk of randomWalks(factory, texts, 50, seed, 80)) {
				expect(walk.ended, walk.text).toBe(true);
				expect(walk.tokens).toBeLessThanOrEqual(walk.budget);
				const errors = cypherSyntaxErrors(walk.text);
				if (errors.length > 0) failures.push(`${JSON.stringify(walk.text)}: ${errors[0]}`);
			}
		}
		expect(failures).toEqual([]);
	});
});
