// Runs a compiled grammar one character at a time: a state is the set of parse stacks still alive (each
// stack's top is a character class to match next), interned so that equal states are one object and every
// (state, character) step is computed once. Also knows, per state, the fewest characters that finish the text.
import { classMatches, type CompiledGrammar, type Element } from './grammar-rules.ts';

/** The stack id of a finished parse (the start rule fully matched). */
const DONE = -1;

export interface GrammarState {
	/** Interned stack ids, ascending; DONE (-1) first when the text may end here. */
	readonly stacks: readonly number[];
	/** Fewest characters that turn the text so far into a complete one (0 when it may end now). */
	readonly cost: number;
	/** Memoized steps: code point → next state (null: the character is not allowed). */
	readonly next: Map<number, GrammarState | null>;
	/** Room for the token layer's per-state cache. */
	tokenCache?: unknown;
}

export class GrammarEngine {
	readonly start: GrammarState;
	/** Position p = (alternative, index); elementAt[p] is undefined at the end of the alternative. */
	private readonly elementAt: Array<Element | undefined> = [];
	private readonly alternativeStarts: number[][] = [];
	/** Fewest characters from position p to the end of its alternative. */
	private readonly restCost: number[] = [];
	private readonly stackPosition: number[] = [];
	private readonly stackBelow: number[] = [];
	private readonly stackCost: number[] = [];
	private readonly stackIds = new Map<string, number>();
	private readonly states = new Map<string, GrammarState>();

	constructor(grammar: CompiledGrammar) {
		const ruleCost = ruleCosts(grammar);
		for (const alternatives of grammar.rules) {
			this.alternativeStarts.push(
				alternatives.map((elements) => {
					const first = this.elementAt.length;
					elements.forEach((element, i) => {
						this.elementAt.push(element);
						this.restCost.push(sequenceCost(elements.slice(i), ruleCost));
					});
					this.elementAt.push(undefined);
					this.restCost.push(0);
					return first;
				})
			);
		}
		const out = new Set<number>();
		for (const first of this.alternativeStarts[grammar.start]) this.expand(first, DONE, out, new Set());
		const start = this.intern(out);
		if (!start) throw new Error('grammar: the start rule matches nothing');
		this.start = start;
	}

	/** The state after one more character, or null when no text of the grammar continues that way. */
	step(state: GrammarState, codePoint: number): GrammarState | null {
		const known = state.next.get(codePoint);
		if (known !== undefined) return known;
		const out = new Set<number>();
		for (const stack of state.stacks) {
			if (stack === DONE) continue;
			const position = this.stackPosition[stack];
			const element = this.elementAt[position] as { chars: Parameters<typeof classMatches>[0] };
			if (classMatches(element.chars, codePoint)) this.expand(position + 1, this.stackBelow[stack], out, new Set());
		}
		const next = this.intern(out);
		state.next.set(codePoint, next);
		return next;
	}

	/** The state after `text`, or null. */
	walk(state: GrammarState, text: string): GrammarState | null {
		let current: GrammarState | null = state;
		for (const ch of text) {
			current = this.step(current, ch.codePointAt(0)!);
			if (!current) return null;
		}
		return current;
	}

	/** Whether the text may end in this state. */
	canEnd = (state: GrammarState): boolean => state.stacks[0] === DONE;
	/** Whether the text must end: nothing may follow. */
	mustEnd = (state: GrammarState): boolean => state.stacks.length === 1 && state.stacks[0] === DONE;

	/** Adds every stack reachable from (position, below) whose top is a character class (or DONE). */
	private expand(position: number, below: number, out: Set<number>, seen: Set<string>): void {
		const key = `${position}|${below}`;
		if (seen.has(key)) return;
		seen.add(key);
		const element = this.elementAt[position];
		if (element === undefined) {
			if (below === DONE) out.add(DONE);
			else this.expand(this.stackPosition[below], this.stackBelow[below], out, seen);
		} else if ('chars' in element) out.add(this.stack(position, below));
		else {
			// A rule in tail position returns straight to `below`, so repetition (right recursion) never deepens the stack.
			const resume = this.elementAt[position + 1] === undefined ? below : this.stack(position + 1, below);
			for (const first of this.alternativeStarts[element.rule]) this.expand(first, resume, out, seen);
		}
	}

	private stack(position: number, below: number): number {
		const key = `${position}|${below}`;
		let id = this.stackIds.get(key);
		if (id === undefined) {
			id = this.stackPosition.length;
			this.stackPosition.push(position);
			this.stackBelow.push(below);
			this.stackCost.push(this.restCost[position] + (below === DONE ? 0 : this.stackCost[below]));
			this.stackIds.set(key, id);
		}
		return id;
	}

	private intern(stacks: Set<number>): GrammarState | null {
		if (stacks.size === 0) return null;
		const sorted = [...stacks].sort((a, b) => a - b);
		const key = sorted.join(',');
		let state = this.states.get(key);
		if (!state) {
			const cost = Math.min(...sorted.map((s) => (s === DONE ? 0 : this.stackCost[s])));
			state = { stacks: sorted, cost, next: new Map() };
			this.states.set(key, state);
		}
		return state;
	}
}

/** Fewest characters a sequence of elements matches, given each rule's. */
const sequenceCost = (elements: readonly Element[], ruleCost: readonly number[]) =>
	elements.reduce((sum, e) => sum + ('chars' in e ? 1 : ruleCost[e.rule]), 0);

/** Fewest characters each rule matches (a fixed point; Infinity for a rule that matches nothing finite). */
function ruleCosts(grammar: CompiledGrammar): number[] {
	const cost = grammar.rules.map(() => Number.POSITIVE_INFINITY);
	for (let changed = true; changed;) {
		changed = false;
		grammar.rules.forEach((alternatives, r) => {
			const best = Math.min(...alternatives.map((elements) => sequenceCost(elements, cost)));
			if (best < cost[r]) {
				cost[r] = best;
				changed = true;
			}
		});
	}
	return cost;
}
