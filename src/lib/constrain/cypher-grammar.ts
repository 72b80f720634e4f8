// A practical Cypher subset in the grammar notation, for constrained decoding: MATCH / OPTIONAL MATCH / CREATE /
// MERGE / WHERE / WITH / RETURN / ORDER BY / SKIP / LIMIT / SET / REMOVE / DELETE / DETACH DELETE / UNWIND, node and
// relationship patterns with labels, types and properties, and expressions with the usual precedence. Keywords
// are upper case, clauses are separated by a space or a newline, operators by single spaces; a query ends
// with RETURN or an updating clause, so every output is a whole statement (tests parse them with Neo4j's grammar).
import { grammarConstraint, type GrammarConstraintFactory } from './grammar-constraint.ts';
import { alt, chars, list, opt, plus, ref, seq, star, type GrammarNode } from './grammar-rules.ts';

const sep = alt(' ', '\n');
const comma = ', ';
/** Functions the grammar may call (a closed list, so a name is never a misspelt keyword). */
const FUNCTIONS = [
	'count',
	'sum',
	'avg',
	'min',
	'max',
	'collect',
	'size',
	'length',
	'toLower',
	'toUpper',
	'trim',
	'toString',
	'toInteger',
	'toFloat',
	'coalesce',
	'id',
	'elementId',
	'labels',
	'type',
	'keys',
	'properties',
	'nodes',
	'relationships',
	'startNode',
	'endNode',
	'head',
	'last',
	'abs',
	'round',
	'exists',
	'substring',
	'replace',
	'split',
	'range',
	'reverse'
];

export const CYPHER_RULES: Record<string, GrammarNode> = {
	statement: seq(ref('query'), opt(';')),
	// Reading clauses, then RETURN, or updating clauses (optionally then RETURN), or WITH and more of the same.
	query: seq(star(seq(ref('reading'), sep)), ref('ending')),
	ending: alt(
		ref('return'),
		seq(ref('with'), sep, ref('query')),
		seq(list(ref('updating'), sep), opt(seq(sep, alt(ref('return'), seq(ref('with'), sep, ref('query'))))))
	),
	reading: alt(
		seq(opt('OPTIONAL '), 'MATCH ', list(ref('pattern'), comma), opt(ref('where'))),
		seq('UNWIND ', ref('expression'), ' AS ', ref('name'))
	),
	where: seq(sep, 'WHERE ', ref('expression')),
	updating: alt(
		seq('CREATE ', list(ref('pattern'), comma)),
		seq('MERGE ', ref('pattern'), star(seq(sep, 'ON ', alt('CREATE', 'MATCH'), ' SET ', list(ref('setItem'), comma)))),
		seq('SET ', list(ref('setItem'), comma)),
		seq('REMOVE ', list(alt(ref('property'), seq(ref('name'), ref('labels'))), comma)),
		seq(opt('DETACH '), 'DELETE ', list(ref('expression'), comma))
	),
	setItem: alt(
		seq(ref('property'), ' = ', ref('expression')),
		seq(ref('name'), ' += ', ref('map')),
		seq(ref('name'), ref('labels'))
	),
	property: seq(ref('name'), plus(seq('.', ref('name')))),
	with: seq('WITH ', ref('projection'), opt(ref('where'))),
	return: seq('RETURN ', ref('projection')),
	projection: seq(
		opt('DISTINCT '),
		alt('*', list(seq(ref('expression'), opt(seq(' AS ', ref('name')))), comma)),
		opt(seq(sep, 'ORDER BY ', list(seq(ref('expression'), opt(alt(' DESC', ' ASC'))), comma))),
		opt(seq(sep, 'SKIP ', ref('integer'))),
		opt(seq(sep, 'LIMIT ', ref('integer')))
	),
	// Patterns: (a:Label {k: v})-[r:TYPE]->(b)
	pattern: seq(opt(seq(ref('name'), ' = ')), ref('node'), star(seq(ref('relationship'), ref('node')))),
	node: seq('(', opt(ref('name')), opt(ref('labels')), opt(seq(' ', ref('map'))), ')'),
	labels: plus(seq(':', ref('name'))),
	relationship: alt(
		seq('-', opt(ref('relationshipDetail')), '->'),
		seq('<-', opt(ref('relationshipDetail')), '-'),
		seq('-', opt(ref('relationshipDetail')), '-')
	),
	relationshipDetail: seq(
		'[',
		opt(ref('name')),
		opt(seq(':', list(ref('name'), '|'))),
		opt(seq('*', opt(ref('integer')), opt(seq('..', opt(ref('integer')))))),
		opt(seq(' ', ref('map'))),
		']'
	),
	map: seq('{', opt(list(seq(ref('name'), ': ', ref('expression')), comma)), '}'),
	// Expressions, loosest first.
	expression: list(ref('xor'), ' OR '),
	xor: list(ref('and'), ' XOR '),
	and: list(ref('not'), ' AND '),
	not: seq(star('NOT '), ref('comparison')),
	comparison: seq(
		ref('sum'),
		opt(
			alt(
				plus(
					seq(
						alt(
							' = ',
							' <> ',
							' < ',
							' > ',
							' <= ',
							' >= ',
							' =~ ',
							' IN ',
							' STARTS WITH ',
							' ENDS WITH ',
							' CONTAINS '
						),
						ref('sum')
					)
				),
				seq(' IS ', opt('NOT '), 'NULL')
			)
		)
	),
	sum: list(ref('product'), alt(' + ', ' - ')),
	product: list(ref('power'), alt(' * ', ' / ', ' % ')),
	power: list(ref('unary'), ' ^ '),
	unary: seq(opt('-'), ref('postfix')),
	postfix: seq(ref('atom'), star(alt(seq('.', ref('name')), seq('[', ref('expression'), ']')))),
	atom: alt(
		ref('number'),
		ref('string'),
		'true',
		'false',
		'null',
		seq('$', ref('name')),
		'count(*)',
		seq(alt(...FUNCTIONS), '(', opt('DISTINCT '), opt(list(ref('expression'), comma)), ')'),
		ref('name'),
		seq('(', ref('expression'), ')'),
		seq('[', opt(list(ref('expression'), comma)), ']'),
		ref('map'),
		seq(
			'CASE',
			plus(seq(' WHEN ', ref('expression'), ' THEN ', ref('expression'))),
			opt(seq(' ELSE ', ref('expression'))),
			' END'
		)
	),
	name: seq(chars('a-zA-Z_'), star(chars('a-zA-Z0-9_'))),
	integer: alt('0', seq(chars('1-9'), star(chars('0-9')))),
	number: seq(ref('integer'), opt(seq('.', plus(chars('0-9'))))),
	string: alt(
		seq("'", star(alt(chars("^'\\\\\n\r"), ref('escape'))), "'"),
		seq('"', star(alt(chars('^"\\\\\n\r'), ref('escape'))), '"')
	),
	escape: seq('\\', chars('\'"\\\\nt'))
};

/** A constraint over a vocabulary: only tokens that keep the output a prefix of a query of the subset. */
export function cypherGrammar(tokenTexts: readonly string[]): GrammarConstraintFactory {
	return grammarConstraint('cypher', CYPHER_RULES, 'statement', tokenTexts);
}
