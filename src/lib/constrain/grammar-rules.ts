// A small grammar notation for constrained decoding (like llama.cpp's GBNF, written as TypeScript values):
// literals, character classes, sequences, alternatives, repetition and rule references, compiled into flat
// alternatives of character classes and rule ids that the grammar engine walks. No left recursion.

export interface CharClass {
	/** Inclusive code-point ranges. */
	ranges: Array<[number, number]>;
	negated: boolean;
}

export type GrammarNode =
	| string
	| { kind: 'chars'; chars: CharClass }
	| { kind: 'ref'; name: string }
	| { kind: 'seq'; items: GrammarNode[] }
	| { kind: 'alt'; items: GrammarNode[] }
	| { kind: 'star'; item: GrammarNode };

/** One element of a compiled alternative: a character class to match, or a rule to expand. */
export type Element = { chars: CharClass } | { rule: number };

export interface CompiledGrammar {
	/** rules[r] = the alternatives of rule r, each a sequence of elements. */
	rules: Element[][][];
	start: number;
}

/** A class like "a-zA-Z_" (ranges and single characters; a leading "^" negates; "\\" escapes the next character). */
export function chars(spec: string): GrammarNode {
	const negated = spec.startsWith('^');
	const points = [...(negated ? spec.slice(1) : spec)].map((ch) => ch.codePointAt(0)!);
	const ranges: Array<[number, number]> = [];
	for (let i = 0; i < points.length; i++) {
		if (points[i] === 0x5c && i + 1 < points.length) i++;
		const lo = points[i];
		if (points[i + 1] === 0x2d && i + 2 < points.length) {
			ranges.push([lo, points[i + 2]]);
			i += 2;
		} else ranges.push([lo, lo]);
	}
	return { kind: 'chars', chars: { ranges, negated } };
}

export const ref = (name: string): GrammarNode => ({ kind: 'ref', name });
export const seq = (...items: GrammarNode[]): GrammarNode => ({ kind: 'seq', items });
export const alt = (...items: GrammarNode[]): GrammarNode => ({ kind: 'alt', items });
export const star = (item: GrammarNode): GrammarNode => ({ kind: 'star', item });
export const opt = (item: GrammarNode): GrammarNode => alt(item, '');
export const plus = (item: GrammarNode): GrammarNode => seq(item, star(item));
/** `item (separator item)*`. */
export const list = (item: GrammarNode, separator: GrammarNode): GrammarNode => seq(item, star(seq(separator, item)));

export function classMatches(chars: CharClass, codePoint: number): boolean {
	let inside = false;
	for (const [lo, hi] of chars.ranges) {
		if (codePoint >= lo && codePoint <= hi) {
			inside = true;
			break;
		}
	}
	return inside !== chars.negated;
}

/** Compiles named rules (one of them `start`) into flat alternatives; anonymous rules stand for nested groups. */
export function compileGrammar(named: Record<string, GrammarNode>, start: string): CompiledGrammar {
	const ids = new Map(Object.keys(named).map((name, i) => [name, i]));
	const rules: Element[][][] = Object.keys(named).map(() => []);
	const anonymous = (alternatives: Element[][]): Element => {
		rules.push(alternatives);
		return { rule: rules.length - 1 };
	};
	const alternativesOf = (node: GrammarNode): Element[][] => {
		if (typeof node === 'string')
			return [
				[...node].map((ch) => ({ chars: { ranges: [[ch.codePointAt(0)!, ch.codePointAt(0)!]], negated: false } }))
			];
		switch (node.kind) {
			case 'chars':
				return [[{ chars: node.chars }]];
			case 'ref': {
				const id = ids.get(node.name);
				if (id === undefined) throw new Error(`grammar: no rule named ${node.name}`);
				return [[{ rule: id }]];
			}
			case 'seq':
				return [
					node.items.flatMap((item) => {
						const alternatives = alternativesOf(item);
						return alternatives.length === 1 ? alternatives[0] : [anonymous(alternatives)];
					})
				];
			case 'alt':
				return node.items.flatMap(alternativesOf);
			case 'star': {
				const self = anonymous([]);
				const body = alternativesOf(node.item);
				const once = body.length === 1 ? body[0] : [anonymous(body)];
				rules[(self as { rule: number }).rule] = [[...once, self], []];
				return [[self]];
			}
		}
	};
	for (const [name, node] of Object.entries(named)) rules[ids.get(name)!] = alternativesOf(node);
	const startId = ids.get(start);
	if (startId === undefined) throw new Error(`grammar: no start rule ${start}`);
	return { rules, start: startId };
}
