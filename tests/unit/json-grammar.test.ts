// The JSON grammar used for constrained decoding: every prefix of a valid JSON text is accepted and the whole
// text completes it; invalid texts are refused at the first character that makes them so (hand-made cases,
// and JSONTestSuite's y_/n_ cases when ../shared/corpora is present); whitespace cannot run on.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_START, jsonValueConstraint, jsonWalk } from '../../src/lib/runtime/json-grammar.ts';

const SUITE = path.resolve(import.meta.dirname, '../../../shared/corpora/JSONTestSuite/test_parsing');
const suitePresent = existsSync(SUITE);
if (!suitePresent) console.warn(`json-grammar: ${SUITE} absent, so only the hand-made cases run`);

/** A whole text: accepted, and complete (a bare top-level number needs the space that ends it). */
function completes(text: string): boolean {
	const state = jsonWalk(JSON_START, text);
	return state !== null && state.done;
}

const VALID = ['{}', '[]', '{"a": 1, "b": [1, 2.5e-3, -0.0, true, false, null], "c": {"d": "x\\u00e9\\n"}}', '"plain"', 'true', '12 ', '-0.5E+7 ', '[{"k": []}, [[]], "\\"\\\\\\/"]', '{ "a" : 1 }', 'null'];
const INVALID = ['{"a": 1, "b": [1, 2,}', '{a: 1}', "{'a': 1}", '[1, 2', '01', '1.', '.5', '+1', '[1,]', '{"a" 1}', '"tab\there"', 'tru', 'nul', '{"a": 1}}', '"\\x"', '"\\u12G4"', '[1 2]'];

describe('JSON grammar', () => {
	it('accepts every prefix of valid JSON and completes on the whole text', () => {
		for (const text of VALID) {
			for (let end = 1; end < text.length; end++) expect(jsonWalk(JSON_START, text.slice(0, end)), `${text} up to ${end}`).not.toBeNull();
			expect(completes(text), text).toBe(true);
			expect(() => JSON.parse(text)).not.toThrow();
		}
	});

	it('refuses invalid JSON', () => {
		for (const text of INVALID) expect(completes(text), text).toBe(false);
	});

	it('allows one whitespace character at a time and nothing after the top-level value', () => {
		expect(jsonWalk(JSON_START, '[ 1]')).not.toBeNull();
		expect(jsonWalk(JSON_START, '[  1]')).toBeNull();
		expect(jsonWalk(JSON_START, '{} ')).toBeNull();
		expect(jsonWalk(JSON_START, '12')?.done).toBe(false);
	});

	it.skipIf(!suitePresent)("agrees with JSONTestSuite's y_ and n_ cases", () => {
		const files = readdirSync(SUITE).filter((name) => /^[yn]_/.test(name));
		expect(files.length).toBeGreaterThan(200);
		const wrong: string[] = [];
		for (const name of files) {
			const raw = readFileSync(path.join(SUITE, name));
			let text: string;
			try {
				text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
			} catch {
				continue; // not UTF-8: the tokenizer's text never holds such bytes, so the string recognizer never sees them
			}
			const trimmed = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
			// A bare top-level number only completes with the whitespace that ends it.
			const candidate = /^-?\d/.test(trimmed) ? `${trimmed} ` : trimmed;
			const walked = jsonWalk(JSON_START, candidate.replace(/[ \t\r\n]+/g, (run) => run[0]));
			const accepted = walked !== null && walked.done;
			if (accepted !== name.startsWith('y_')) wrong.push(name);
		}
		expect(wrong).toEqual([]);
	});

	it('masks a vocabulary to the tokens that keep the output JSON', () => {
		const vocabulary = ['{', '}', '"a"', ':', ' ', '1', ',', 'x', '"', '[', ']', 'true', '\uFFFD'];
		const constraint = jsonValueConstraint(vocabulary);
		const allowed = () => vocabulary.filter((_, id) => constraint.allowedTokens()[id] === 1);
		expect(allowed()).toEqual(['{', '"a"', ' ', '1', '"', '[', 'true']);
		for (const token of ['{', '"a"', ':', ' ', '1']) constraint.accept(vocabulary.indexOf(token));
		expect(allowed()).toEqual(['}', ' ', '1', ',']);
		constraint.accept(vocabulary.indexOf('}'));
		expect(constraint.isComplete()).toBe(true);
		expect(() => constraint.accept(vocabulary.indexOf('x'))).toThrow(/not allowed/);
	});
});
