// Turns a grammar into a token constraint over a tokenizer's vocabulary: the vocabulary's texts in a trie are
// walked once per grammar state (then cached), giving the allowed tokens and the characters each leaves to
// finish; near the token budget only tokens that can still finish in time are allowed, so output is complete.
import type { TokenConstraint } from '../runtime/generate.ts';
import { GrammarEngine, type GrammarState } from './grammar-engine.ts';
import { compileGrammar, type GrammarNode } from './grammar-rules.ts';

interface TrieNode {
	children: Map<number, TrieNode>;
	tokens: number[];
}

interface StateMask {
	allowed: Uint8Array;
	/** For each allowed token, the fewest characters left to finish after it. */
	costAfter: Uint32Array;
	maxCost: number;
}

export interface GrammarConstraintFactory {
	/** Short name for messages and reports ("json", "cypher", "json-schema"). */
	readonly name: string;
	/** A fresh constraint for one generation. */
	start(): TokenConstraint;
	/** Fewest tokens a complete output needs (each remaining character as one token). */
	readonly minimumTokens: number;
	/** Where `text` stands in the grammar: a complete text, a prefix of one, or neither. */
	match(text: string): 'complete' | 'prefix' | 'no';
}

function buildTrie(tokenTexts: readonly string[]): TrieNode {
	const root: TrieNode = { children: new Map(), tokens: [] };
	tokenTexts.forEach((text, id) => {
		// Empty texts (special tokens) and partial UTF-8 pieces are never allowed as text.
		if (text.length === 0 || text.includes('\uFFFD')) return;
		let node = root;
		for (const ch of text) {
			const point = ch.codePointAt(0)!;
			let child = node.children.get(point);
			if (!child) node.children.set(point, (child = { children: new Map(), tokens: [] }));
			node = child;
		}
		node.tokens.push(id);
	});
	return root;
}

/** Compiles `rules` once for a vocabulary (`tokenTexts[id]` = the token's decoded text, '' for special tokens). */
export function grammarConstraint(
	name: string,
	rules: Record<string, GrammarNode>,
	startRule: string,
	tokenTexts: readonly string[]
): GrammarConstraintFactory {
	const engine = new GrammarEngine(compileGrammar(rules, startRule));
	const trie = buildTrie(tokenTexts);
	const size = tokenTexts.length;

	const maskOf = (state: GrammarState): StateMask => {
		if (state.tokenCache) return state.tokenCache as StateMask;
		const mask: StateMask = { allowed: new Uint8Array(size), costAfter: new Uint32Array(size), maxCost: 0 };
		const visit = (node: TrieNode, at: GrammarState) => {
			for (const [point, child] of node.children) {
				const next = engine.step(at, point);
				if (!next) continue;
				for (const id of child.tokens) {
					mask.allowed[id] = 1;
					mask.costAfter[id] = next.cost;
					if (next.cost > mask.maxCost) mask.maxCost = next.cost;
				}
				visit(child, next);
			}
		};
		visit(trie, state);
		state.tokenCache = mask;
		return mask;
	};

	return {
		name,
		minimumTokens: engine.start.cost,
		match(text) {
			const state = engine.walk(engine.start, text);
			return !state ? 'no' : engine.canEnd(state) ? 'complete' : 'prefix';
		},
		start(): TokenConstraint {
			let state = engine.start;
			return {
				allowedTokens(tokensLeft) {
					const mask = maskOf(state);
					if (tokensLeft === undefined || mask.maxCost < tokensLeft) return mask.allowed;
					// Near the budget: keep the tokens after which the rest still fits (one token per character).
					const inTime = new Uint8Array(size);
					let any = false;
					for (let id = 0; id < size; id++) {
						if (mask.allowed[id] && mask.costAfter[id] < tokensLeft) {
							inTime[id] = 1;
							any = true;
						}
					}
					return any ? inTime : mask.allowed;
				},
				accept(tokenId) {
					const text = tokenTexts[tokenId] ?? '';
					const after = text === '' ? null : engine.walk(state, text);
					if (!after) throw new Error(`${name} grammar: token ${tokenId} is not allowed here`);
					state = after;
				},
				canEnd: () => engine.canEnd(state),
				isComplete: () => engine.mustEnd(state)
			};
		}
	};
}
