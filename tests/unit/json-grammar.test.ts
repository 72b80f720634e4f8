// The JSON grammar for constrained decoding: every prefix of valid JSON is a prefix and the whole text is
// complete; invalid texts are refused (hand-made cases, and JSONTestSuite's y_/n_ cases when ../shared is
// present); random token walks over the embedded tokenizer's vocabulary, under random budgets, all parse.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonGrammar } from '../../src/lib/constrain/json-grammar.ts';
import { loadTokenizer } from '../../src/lib/runtime/tokenizer.ts';
import { DEFAULT_MODEL_DIR } from '../../src/cli/commands/model-options.ts';
import { randomWalks } from '../fixtures/constraint-walks.ts';

const SUITE = path.resolve(import.meta.dirname, '../../../shared/corpora/JSONTestSuite/test_parsing');
const suitePresent = existsSync(SUITE);
if (!suitePresent) console.warn(`json-grammar: ${SUITE} absent, so only the hand-made cases run`);

const grammar = jsonGrammar([]);
const VALID = [
	...['{}', '[]', '{"a": 1, "b": [1, 2.5e-3, -0.0, true, false, null], "c": {"d": "x\\u00e9\\n"}}'],
	...['"plain"', 'true', '12', '-0.5E+7', '[{"k": []}, [[]], "\\"\\\\\\/"]', '{ "a" : 1 }', 'null']
];
const INVALID = [
	...['{"a": 1, "b": [1, 2,}', '{a: 1}', "{'a': 1}", '[1, 2', '01', '1.', '.5', '+1', '[1,]'],
	...['{"a" 1}', '"tab\there"', 'tru', 'nul', '{"a": 1}}', '"\\x"', '"\\u12G4"', '[1 2]']
];

describe('JSON grammar', () => {
	it('accepts every prefix of valid JSON and completes on the whole text', () => {
		for (const text of VALID) {
			for (let end = 1; end < text.length; end++)
				expect(grammar.match(text.slice(0, end)), `${text} up to ${end}`).not.toBe('no');
			expect(grammar.match(text), text).toBe('complete');
			expect(() => JSON.parse(text)).not.toThrow();
		}
	});

	it('refuses invalid JSON', () => {
		for (const text of INVALID) expect(grammar.match(text), text).not.toBe('complete');
	});

	it('allows one whitespace character at a time and nothing after the top-level value', () => {
		expect(grammar.match('[ 1]')).toBe('complete');
		expect(grammar.match('[  1]')).toBe('no');
		expect(grammar.match('{} ')).toBe('no');
	});

	it.skipIf(!suitePresent)("agrees with JSONTestSuite's y_ and n_ cases", () => {
		const files = readdirSync(SUITE).filter((name) => /^[yn]_/.test(name));
		expect(files.length).toBeGreaterThan(200);
		const wrong: string[] = [];
		for (const name of files) {
			// Nesting 50 000 deep (n_structure_100000_opening_arrays, …) only measures the recognizer's memory; a
			// generation's depth is bounded by its token budget.
			if (statSync(path.join(SUITE, name)).size > 8192) continue;
			let text: string;
			try {
				text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path.join(SUITE, name)));
			} catch {
				continue; // not UTF-8: the tokenizer's texts never hold such bytes
			}
			// Whitespace runs shrink to one character, and none trails (what the grammar allows).
			const candidate = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '').replace(/[ \t\r\n]+/g, (run) => run[0]);
			if ((grammar.match(candidate) === 'complete') !== name.startsWith('y_')) wrong.push(name);
		}
		expect(wrong).toEqual([]);
	});

	it('masks a vocabulary to the tokens that keep the output JSON, and ends with the value', () => {
		const vocabulary = ['{', '}', '"a"', ':', ' ', '1', ',', 'x', '"', '[', ']', 'true', '\uFFFD', ''];
		const constraint = jsonGrammar(vocabulary).start();
		const allowed = () => vocabulary.filter((_, id) => constraint.allowedTokens()[id] === 1);
		expect(allowed()).toEqual(['{', '"a"', ' ', '1', '"', '[', 'true']);
		for (const token of ['{', '"a"', ':', ' ', '1']) constraint.accept(vocabulary.indexOf(token));
		expect(allowed()).toEqual(['}', ' ', '1', ',']);
		expect(constraint.canEnd()).toBe(false);
		constraint.accept(vocabulary.indexOf('}'));
		expect(constraint.isComplete()).toBe(true);
		expect(() => constraint.accept(vocabulary.indexOf('x'))).toThrow(/not allowed/);
	});

	it('closes in time: with 3 tokens left inside a string, only tokens that still allow "}] to fit', () => {
		const vocabulary = ['{"a": ["', 'x', 'xxxx', '"', ']', '}', '"]}'];
		const constraint = jsonGrammar(vocabulary).start();
		constraint.accept(0);
		const allowed = (left: number) => vocabulary.filter((_, id) => constraint.allowedTokens(left)[id] === 1);
		expect(allowed(10)).toEqual(['x', 'xxxx', '"', ']', '}', '"]}']); // ] and } are string characters here
		expect(allowed(3)).toEqual(['"', '"]}']);
	});

	it('random token walks over the real vocabulary, under random budgets, always parse (150 walks)', async () => {
		const tokenizer = await loadTokenizer(DEFAULT_MODEL_DIR);
		const texts = tokenizer.tokenTexts();
		const factory = jsonGrammar(texts);
		for (const seed of [1, 2, 3]) {
			for (const walk of randomWalks(factory, texts, 50, seed, 80)) {
				expect(walk.ended, walk.text).toBe(true);
				expect(walk.tokens).toBeLessThanOrEqual(walk.budget);
				expect(() => JSON.parse(walk.text), walk.text).not.toThrow();
			}
		}
	});
});
