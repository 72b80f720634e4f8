// Constrained JSON decoding over a synthetic vocabulary: every path through allowed tokens yields JSON that
// parses and matches the schema's enums; forbidden continuations are masked; bad schemas are one-line errors. < 1 s.
import { describe, expect, it } from 'vitest';
import { compileJsonConstraint } from '../../src/lib/runtime/json-constraint.ts';
import { seededRandom } from '../../src/lib/seeded-random.ts';

const TYPES = ['source-code', 'config', 'documentation'];
const TECHS = ['flask', 'django', 'docker'];
const SCHEMA = {
	type: 'object',
	properties: {
		type: { enum: TYPES },
		language: { type: 'string', maxLength: 10 },
		technologies: { type: 'array', items: { enum: TECHS }, maxItems: 3 },
		test: { type: 'boolean' }
	}
};
// Single characters plus multi-character pieces that cut across JSON structure, and junk.
const VOCAB = [
	...new Set([
		...'{}[]",: abcdefghijklmnopqrstuvwxyz-PyJ',
		'{"',
		'type',
		'": "',
		'source',
		'-code',
		'config",',
		'", "',
		'language',
		'Python',
		'"]',
		'["',
		'flask", "',
		'docker',
		'], "',
		'true}',
		'false',
		'<|im_end|>',
		'',
		'\uFFFD'
	])
];

describe('compileJsonConstraint', () => {
	it('only ever allows outputs that parse and match the schema (random walks)', () => {
		const factory = compileJsonConstraint(SCHEMA, VOCAB);
		const random = seededRandom(5);
		for (let walk = 0; walk < 60; walk++) {
			const constraint = factory.start();
			let text = '';
			for (let step = 0; step < 400 && !constraint.isComplete(); step++) {
				const mask = constraint.allowedTokens();
				const allowed = [...mask.keys()].filter((id) => mask[id]);
				expect(allowed.length).toBeGreaterThan(0);
				const id = allowed[Math.floor(random() * allowed.length)];
				constraint.accept(id);
				text += VOCAB[id];
			}
			expect(constraint.isComplete()).toBe(true);
			const value = JSON.parse(text);
			expect(Object.keys(value)).toEqual(['type', 'language', 'technologies', 'test']);
			expect(TYPES).toContain(value.type);
			expect(typeof value.language).toBe('string');
			expect(value.language.length).toBeLessThanOrEqual(10);
			expect(value.technologies.every((t: string) => TECHS.includes(t))).toBe(true);
			expect(value.technologies.length).toBeLessThanOrEqual(3);
			expect(typeof value.test).toBe('boolean');
		}
	});

	it('masks tokens that would leave the schema', () => {
		const constraint = compileJsonConstraint(SCHEMA, VOCAB).start();
		const allowedTexts = () => {
			const mask = constraint.allowedTokens();
			return VOCAB.filter((_, id) => mask[id]);
		};
		expect(allowedTexts().sort()).toEqual(['{', '{"'].sort());
		for (const piece of ['{"', 'type', '": "']) constraint.accept(VOCAB.indexOf(piece));
		expect(allowedTexts()).toEqual(expect.arrayContaining(['s', 'c', 'd', 'source', 'config",']));
		expect(allowedTexts()).not.toContain('Python');
		expect(allowedTexts()).not.toContain('<|im_end|>');
		expect(() => constraint.accept(VOCAB.indexOf('Python'))).toThrow(/not allowed/);
	});

	it('never allows an empty slot after a comma in arrays', () => {
		const schema = { type: 'object', properties: { t: { type: 'array', items: { enum: ['a'] } } } };
		const vocab = ['{"t": [', '"a"', ', ', ']', '}'];
		const constraint = compileJsonConstraint(schema, vocab).start();
		for (const piece of ['{"t": [', '"a"', ', ']) constraint.accept(vocab.indexOf(piece));
		const mask = constraint.allowedTokens();
		expect(vocab.filter((_, id) => mask[id])).toEqual(['"a"']);
	});

	it('rejects unsupported schemas with one-line errors', () => {
		expect(() => compileJsonConstraint({ type: 'array' }, VOCAB)).toThrow(/top level must be/);
		expect(() => compileJsonConstraint({ type: 'object', properties: { n: { enum: [1, 10] } } }, VOCAB)).toThrow(/enum values must be strings/);
		expect(() => compileJsonConstraint({ type: 'object', properties: { n: { type: 'number' } } }, VOCAB)).toThrow(/properties.n: supported are/);
		expect(() => compileJsonConstraint({ type: 'object', properties: { n: { enum: [] } } }, VOCAB)).toThrow(/enum is empty/);
	});
});
