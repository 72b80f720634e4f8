// Constrained JSON decoding: compiles a small JSON schema (object of enums, free strings, booleans and
// arrays of enums) into a character-level automaton over one canonical layout ({"k": v, "k2": [a, b]}),
// and masks every token whose text would leave it, so the output is valid JSON by construction.
import { ExpertError } from '../errors.ts';
import { characterConstraint } from './character-constraint.ts';
import type { TokenConstraint } from './generate.ts';

interface TrieNode {
	children: Map<string, TrieNode>;
	terminal: boolean;
}

type Part =
	| { kind: 'literal'; text: string }
	| { kind: 'choice'; root: TrieNode }
	| { kind: 'string'; maxLength: number }
	| { kind: 'array'; root: TrieNode; maxItems: number };

type ArrayPhase = 'open' | 'first' | 'item' | 'after' | 'space' | 'next';

interface State {
	part: number;
	offset: number;
	node: TrieNode | null;
	phase: ArrayPhase | 'quote' | 'chars';
	items: number;
}

function fail(message: string): never {
	throw new ExpertError('bad-json-schema', `JSON schema: ${message}`);
}

function buildTrie(values: unknown[], where: string): TrieNode {
	if (values.length === 0) fail(`${where}: enum is empty`);
	const root: TrieNode = { children: new Map(), terminal: false };
	const encoded = values.map((v) => {
		if (typeof v !== 'string' && typeof v !== 'boolean' && v !== null) fail(`${where}: enum values must be strings, booleans or null`);
		return JSON.stringify(v);
	});
	for (const text of encoded) {
		let node = root;
		for (const ch of text) {
			let next = node.children.get(ch);
			if (!next) node.children.set(ch, (next = { children: new Map(), terminal: false }));
			node = next;
		}
		node.terminal = true;
	}
	for (const text of encoded) {
		if (encoded.some((other) => other !== text && other.startsWith(text))) fail(`${where}: enum value ${text} is a prefix of another`);
	}
	return root;
}

function compileValue(schema: Record<string, unknown>, where: string, parts: Part[]): void {
	if (Array.isArray(schema.enum)) parts.push({ kind: 'choice', root: buildTrie(schema.enum, where) });
	else if (schema.type === 'boolean') parts.push({ kind: 'choice', root: buildTrie([true, false], where) });
	else if (schema.type === 'string') parts.push({ kind: 'string', maxLength: typeof schema.maxLength === 'number' ? schema.maxLength : 128 });
	else if (schema.type === 'array') {
		const items = schema.items as Record<string, unknown> | undefined;
		if (!items || !Array.isArray(items.enum)) fail(`${where}: arrays need items with an enum`);
		parts.push({ kind: 'array', root: buildTrie(items.enum, `${where}.items`), maxItems: typeof schema.maxItems === 'number' ? schema.maxItems : 16 });
	} else fail(`${where}: supported are enum, boolean, string and array-of-enum values`);
}

function compileSchema(schema: unknown): Part[] {
	const s = schema as Record<string, unknown>;
	if (typeof s !== 'object' || s === null || s.type !== 'object' || typeof s.properties !== 'object' || s.properties === null) {
		fail('the top level must be {"type": "object", "properties": {...}}');
	}
	const parts: Part[] = [];
	const entries = Object.entries(s.properties as Record<string, Record<string, unknown>>);
	if (entries.length === 0) fail('properties is empty');
	entries.forEach(([key, value], i) => {
		parts.push({ kind: 'literal', text: `${i === 0 ? '{' : ', '}${JSON.stringify(key)}: ` });
		compileValue(value, `properties.${key}`, parts);
	});
	parts.push({ kind: 'literal', text: '}' });
	return parts;
}

function startState(parts: Part[], part: number): State {
	const p = parts[part];
	const node = p && (p.kind === 'choice' || p.kind === 'array') ? p.root : null;
	return { part, offset: 0, node, phase: p?.kind === 'array' ? 'open' : 'quote', items: 0 };
}

/** Advances the automaton by one character; null when the character is not allowed. */
function advance(parts: Part[], state: State, ch: string): State | null {
	const part = parts[state.part];
	if (!part) return null;
	const next = (): State => startState(parts, state.part + 1);
	switch (part.kind) {
		case 'literal': {
			if (part.text[state.offset] !== ch) return null;
			return state.offset + 1 === part.text.length ? next() : { ...state, offset: state.offset + 1 };
		}
		case 'choice': {
			const child = state.node!.children.get(ch);
			if (!child) return null;
			return child.terminal ? next() : { ...state, node: child };
		}
		case 'string': {
			if (state.phase === 'quote') return ch === '"' ? { ...state, phase: 'chars' } : null;
			if (ch === '"') return next();
			if (ch === '\\' || ch < ' ' || ch === '\uFFFD' || state.offset >= part.maxLength) return null;
			return { ...state, offset: state.offset + 1 };
		}
		case 'array': {
			const startItem = (): State | null => {
				const child = part.root.children.get(ch);
				if (!child) return null;
				return child.terminal ? { ...state, phase: 'after', items: state.items + 1 } : { ...state, phase: 'item', node: child };
			};
			switch (state.phase) {
				case 'open':
					return ch === '[' ? { ...state, phase: 'first' } : null;
				case 'first':
					return ch === ']' ? next() : startItem();
				case 'item': {
					const child = state.node!.children.get(ch);
					if (!child) return null;
					return child.terminal ? { ...state, phase: 'after', items: state.items + 1 } : { ...state, node: child };
				}
				case 'after':
					if (ch === ']') return next();
					return ch === ',' && state.items < part.maxItems ? { ...state, phase: 'space' } : null;
				case 'space':
					return ch === ' ' ? { ...state, phase: 'next' } : null;
				default:
					return startItem();
			}
		}
	}
}

export interface JsonSchemaConstraintFactory {
	/** A fresh constraint for one generation. */
	start(): TokenConstraint;
}

/** Compiles `schema` once for a vocabulary (`tokenTexts[id]` = the token's decoded text). */
export function compileJsonConstraint(schema: unknown, tokenTexts: string[]): JsonSchemaConstraintFactory {
	const parts = compileSchema(schema);
	const walk = (state: State, text: string): State | null => {
		let current: State | null = state;
		for (const ch of text) {
			current = advance(parts, current, ch);
			if (!current) return null;
		}
		return current;
	};
	return {
		start: () => characterConstraint(tokenTexts, { start: startState(parts, 0), walk, isComplete: (state) => state.part >= parts.length }, 'json constraint')
	};
}
