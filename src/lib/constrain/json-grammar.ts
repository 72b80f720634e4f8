// The JSON grammar (RFC 8259, any value) in the grammar notation, for constrained decoding: at most one
// whitespace character between tokens, so output cannot fill its budget with blanks; nothing after the value.
import { grammarConstraint, type GrammarConstraintFactory } from './grammar-constraint.ts';
import { alt, chars, list, opt, plus, ref, seq, star, type GrammarNode } from './grammar-rules.ts';

const ws = opt(chars(' \t\n\r'));

/** JSON rules; `value` is any JSON value. Other grammars (JSON Schema) reuse them. */
export const JSON_RULES: Record<string, GrammarNode> = {
	value: alt(ref('object'), ref('array'), ref('string'), ref('number'), 'true', 'false', 'null'),
	object: seq('{', ws, opt(seq(list(seq(ref('string'), ws, ':', ws, ref('value'), ws), seq(',', ws)))), '}'),
	array: seq('[', ws, opt(list(seq(ref('value'), ws), seq(',', ws))), ']'),
	string: seq('"', star(ref('character')), '"'),
	character: alt(
		chars('^"\\\\\u0000-\u001f'),
		seq('\\', alt(chars('"\\\\/bfnrt'), seq('u', ref('hex'), ref('hex'), ref('hex'), ref('hex'))))
	),
	hex: chars('0-9a-fA-F'),
	digit: chars('0-9'),
	digit19: chars('1-9'),
	number: seq(
		opt('-'),
		alt('0', seq(ref('digit19'), star(ref('digit')))),
		opt(seq('.', plus(ref('digit')))),
		opt(seq(chars('eE'), opt(chars('+\\-')), plus(ref('digit'))))
	),
	json: seq(ws, ref('value'))
};

/** A constraint over a vocabulary: only tokens that keep the output a prefix of a JSON text. */
export function jsonGrammar(tokenTexts: readonly string[]): GrammarConstraintFactory {
	return grammarConstraint('json', JSON_RULES, 'json', tokenTexts);
}
