// Grammar-constrained decoding for any JSON value (RFC 8259): a character-level pushdown recognizer of
// valid JSON prefixes, and the token constraint that masks every token whose text would leave the output
// no longer a prefix of some JSON text. Generation ends when the top-level value is complete.
import { characterConstraint } from './character-constraint.ts';
import type { TokenConstraint } from './generate.ts';

/** Where the recognizer is: what the next character may be. */
type Mode =
	| 'value' // a value starts (or whitespace)
	| 'first-value' // right after '[': a value or ']'
	| 'first-key' // right after '{': a key or '}'
	| 'key' // after ',' in an object: a key
	| 'colon' // after a key
	| 'after' // after a value: ',' or the container's close (top level: done)
	| 'string'
	| 'escape'
	| 'unicode'
	| 'literal'
	| 'number';

/** Number sub-states, in RFC 8259's order: -, 0 / 1-9 digits, ., fraction digits, e/E, sign, exponent digits. */
type NumberPart = 'sign' | 'zero' | 'int' | 'dot' | 'frac' | 'e' | 'esign' | 'exp';

export interface JsonPrefix {
	mode: Mode;
	/** Open containers, innermost last: "o" object, "a" array. */
	stack: string;
	/** In a string: whether it is an object key (then ':' follows). */
	key: boolean;
	/** Literal: the characters still to come ("rue" after "t"); unicode escape: hex digits still to come. */
	rest: string;
	hex: number;
	number: NumberPart;
	/** One whitespace character at a time, so the output cannot fill its budget with blanks. */
	space: boolean;
	done: boolean;
}

export const JSON_START: JsonPrefix = { mode: 'value', stack: '', key: false, rest: '', hex: 0, number: 'sign', space: false, done: false };

const isWhite = (ch: string) => ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r';
const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const LITERALS: Record<string, string> = { t: 'rue', f: 'alse', n: 'ull' };

/** The state after a value closes: back in its container, or done at the top level. */
function closeValue(state: JsonPrefix): JsonPrefix {
	return { ...state, mode: 'after', space: false, done: state.stack === '' };
}

function startValue(state: JsonPrefix, ch: string): JsonPrefix | null {
	if (ch === '{') return { ...state, mode: 'first-key', stack: state.stack + 'o', space: false };
	if (ch === '[') return { ...state, mode: 'first-value', stack: state.stack + 'a', space: false };
	if (ch === '"') return { ...state, mode: 'string', key: false, space: false };
	if (ch in LITERALS) return { ...state, mode: 'literal', rest: LITERALS[ch], space: false };
	if (ch === '-') return { ...state, mode: 'number', number: 'sign', space: false };
	if (ch === '0') return { ...state, mode: 'number', number: 'zero', space: false };
	if (isDigit(ch)) return { ...state, mode: 'number', number: 'int', space: false };
	return null;
}

/** After a value inside a container, or at the top level (where only one whitespace may follow a bare number). */
function afterValue(state: JsonPrefix, ch: string): JsonPrefix | null {
	const top = state.stack.at(-1);
	if (isWhite(ch)) return state.space ? null : { ...state, space: true };
	if (top === 'o' && ch === '}') return closeValue({ ...state, stack: state.stack.slice(0, -1) });
	if (top === 'a' && ch === ']') return closeValue({ ...state, stack: state.stack.slice(0, -1) });
	if (top === 'o' && ch === ',') return { ...state, mode: 'key', space: false };
	if (top === 'a' && ch === ',') return { ...state, mode: 'value', space: false };
	return null;
}

/** Whether a number may end here (then the next character belongs to what follows it). */
const numberCanEnd = (part: NumberPart) => part === 'zero' || part === 'int' || part === 'frac' || part === 'exp';

function numberStep(state: JsonPrefix, ch: string): JsonPrefix | null {
	const to = (number: NumberPart) => ({ ...state, number });
	switch (state.number) {
		case 'sign':
			return ch === '0' ? to('zero') : isDigit(ch) ? to('int') : null;
		case 'zero':
			if (ch === '.') return to('dot');
			if (ch === 'e' || ch === 'E') return to('e');
			break;
		case 'int':
			if (isDigit(ch)) return to('int');
			if (ch === '.') return to('dot');
			if (ch === 'e' || ch === 'E') return to('e');
			break;
		case 'dot':
			return isDigit(ch) ? to('frac') : null;
		case 'frac':
			if (isDigit(ch)) return to('frac');
			if (ch === 'e' || ch === 'E') return to('e');
			break;
		case 'e':
			return ch === '+' || ch === '-' ? to('esign') : isDigit(ch) ? to('exp') : null;
		case 'esign':
			return isDigit(ch) ? to('exp') : null;
		case 'exp':
			if (isDigit(ch)) return to('exp');
			break;
	}
	if (!numberCanEnd(state.number)) return null;
	// The number ended: a top-level one needs a whitespace to say so; in a container the next character follows it.
	if (state.stack === '') return isWhite(ch) ? { ...closeValue(state), space: true } : null;
	return afterValue(closeValue(state), ch);
}

/** The prefix state after one more character, or null when no JSON text continues that way. */
export function jsonStep(state: JsonPrefix, ch: string): JsonPrefix | null {
	if (state.done) return null;
	switch (state.mode) {
		case 'value':
		case 'first-value':
			if (isWhite(ch)) return state.space ? null : { ...state, space: true };
			if (state.mode === 'first-value' && ch === ']') return closeValue({ ...state, stack: state.stack.slice(0, -1) });
			return startValue(state, ch);
		case 'first-key':
		case 'key':
			if (isWhite(ch)) return state.space ? null : { ...state, space: true };
			if (state.mode === 'first-key' && ch === '}') return closeValue({ ...state, stack: state.stack.slice(0, -1) });
			return ch === '"' ? { ...state, mode: 'string', key: true, space: false } : null;
		case 'colon':
			if (isWhite(ch)) return state.space ? null : { ...state, space: true };
			return ch === ':' ? { ...state, mode: 'value', space: false } : null;
		case 'after':
			return afterValue(state, ch);
		case 'string':
			if (ch === '"') return state.key ? { ...state, mode: 'colon', space: false } : closeValue(state);
			if (ch === '\\') return { ...state, mode: 'escape' };
			return ch < ' ' || ch === '\uFFFD' ? null : state;
		case 'escape':
			if (ch === 'u') return { ...state, mode: 'unicode', hex: 4 };
			return '"\\/bfnrt'.includes(ch) ? { ...state, mode: 'string' } : null;
		case 'unicode':
			if (!/^[0-9a-fA-F]$/.test(ch)) return null;
			return state.hex === 1 ? { ...state, mode: 'string', hex: 0 } : { ...state, hex: state.hex - 1 };
		case 'literal':
			if (ch !== state.rest[0]) return null;
			return state.rest.length === 1 ? closeValue({ ...state, rest: '' }) : { ...state, rest: state.rest.slice(1) };
		case 'number':
			return numberStep(state, ch);
	}
}

/** The state after `text`, or null when it leaves the language. */
export function jsonWalk(state: JsonPrefix, text: string): JsonPrefix | null {
	let current: JsonPrefix | null = state;
	for (const ch of text) {
		current = jsonStep(current, ch);
		if (!current) return null;
	}
	return current;
}

/** A constraint over a vocabulary (`tokenTexts[id]`): only tokens that keep the output a JSON prefix. */
export function jsonValueConstraint(tokenTexts: string[]): TokenConstraint {
	return characterConstraint(tokenTexts, { start: JSON_START, walk: jsonWalk, isComplete: (state) => state.done }, 'json grammar');
}
