// Reads the openCypher TCK feature files: the queries of each scenario (with whether the TCK expects a
// SyntaxError), and checks Cypher text against the clause shapes those valid queries use. No Cypher
// parser on npm runs on Node 20 here, so generated queries are checked against the TCK's shapes.
import type { CypherFeatureFile } from './corpus.ts';

export interface TckQuery {
	source: string;
	scenario: string;
	query: string;
	expectsSyntaxError: boolean;
}

/** All "When executing query:" blocks of the feature files, without Scenario Outline placeholders. */
export function extractTckQueries(files: readonly CypherFeatureFile[]): TckQuery[] {
	const queries: TckQuery[] = [];
	for (const file of files) {
		const scenarios = file.content.split(/^\s*Scenario(?: Outline)?:\s*/m).slice(1);
		for (const block of scenarios) {
			const scenario = block
				.split('\n')[0]
				.replace(/^\[\d+\]\s*/, '')
				.trim();
			const match = /When executing query:\s*\n\s*"""\n([\s\S]*?)\n\s*"""/.exec(block);
			if (!match) continue;
			const query = dedent(match[1]);
			if (/<\w+>/.test(query)) continue;
			queries.push({
				source: `openCypher-tck/features/${file.path}`,
				scenario,
				query,
				expectsSyntaxError: /Then a SyntaxError should be raised/.test(block)
			});
		}
	}
	return queries;
}

function dedent(text: string): string {
	const lines = text.split('\n');
	const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
	return lines
		.map((l) => l.slice(indent))
		.join('\n')
		.trim();
}

const CLAUSE =
	/\b(OPTIONAL MATCH|MATCH|WHERE|WITH|RETURN|CREATE|MERGE|ON CREATE SET|ON MATCH SET|SET|DETACH DELETE|DELETE|REMOVE|UNWIND|ORDER BY|SKIP|LIMIT|UNION ALL|UNION|CALL|YIELD)\b/gi;

/** The clause keywords of a query in order (string literals removed first). */
export function clauseSequence(query: string): string[] {
	const withoutStrings = query.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`/g, "''");
	return [...withoutStrings.matchAll(CLAUSE)].map((m) => m[1].toUpperCase().replace(/\s+/g, ' '));
}

function clausePairs(query: string): string[] {
	const seq = ['^', ...clauseSequence(query), '$'];
	return seq.slice(1).map((clause, i) => `${seq[i]} ${clause}`);
}

function bracketsBalanced(query: string): boolean {
	const stack: string[] = [];
	const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
	for (const ch of query.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''")) {
		if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
		else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
	}
	return stack.length === 0;
}

/** Checks queries against the shapes (consecutive clause pairs) of the TCK's valid queries. */
export class TckShapeChecker {
	private readonly knownPairs = new Set<string>();
	constructor(queries: readonly TckQuery[]) {
		for (const q of queries)
			if (!q.expectsSyntaxError) for (const pair of clausePairs(q.query)) this.knownPairs.add(pair);
	}
	get size(): number {
		return this.knownPairs.size;
	}
	/** Why the query does not fit the TCK's shapes, or null when it does. */
	problem(query: string): string | null {
		if (!bracketsBalanced(query)) return 'unbalanced brackets';
		if (clauseSequence(query).length === 0) return 'no Cypher clause';
		const unknown = clausePairs(query).find((pair) => !this.knownPairs.has(pair));
		return unknown ? `clause sequence "${unknown}" appears in no valid TCK query` : null;
	}
}
