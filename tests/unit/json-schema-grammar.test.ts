// JSON Schema → grammar: random token walks over the embedded tokenizer's vocabulary, under random budgets,
// always end in JSON that ajv validates against the schema (nested objects, optional keys, arrays with
// bounds, enums, integers, numbers, anyOf, recursion through $defs); unsupported keywords are one-line errors.
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { jsonSchemaGrammar } from '../../src/lib/constrain/json-schema-grammar.ts';
import { loadTokenizer } from '../../src/lib/runtime/tokenizer.ts';
import { DEFAULT_MODEL_DIR } from '../../src/cli/commands/model-options.ts';
import { randomWalks } from '../fixtures/constraint-walks.ts';

const SCHEMAS: Record<string, object> = {
	classification: {
		type: 'object',
		properties: {
			type: { enum: ['source-code', 'config', 'documentation'] },
			language: { type: 'string', maxLength: 10 },
			technologies: { type: 'array', items: { enum: ['flask', 'django', 'docker'] }, maxItems: 3 },
			test: { type: 'boolean' }
		},
		required: ['type', 'language', 'technologies', 'test']
	},
	nested: {
		type: 'object',
		properties: {
			id: { type: 'integer' },
			score: { type: 'number' },
			name: { type: ['string', 'null'], minLength: 1, maxLength: 6 },
			tags: { type: 'array', items: { type: 'string', maxLength: 4 }, minItems: 1, maxItems: 3 },
			owner: {
				type: 'object',
				properties: { login: { type: 'string' }, admin: { const: false } },
				required: ['login']
			},
			value: { anyOf: [{ type: 'integer' }, { enum: ['none', 'all'] }] },
			extra: {}
		},
		required: ['id', 'tags']
	},
	recursive: {
		$defs: {
			tree: {
				type: 'object',
				properties: {
					label: { type: 'string', maxLength: 3 },
					children: { type: 'array', items: { $ref: '#/$defs/tree' }, maxItems: 2 }
				},
				required: ['label']
			}
		},
		$ref: '#/$defs/tree'
	}
};

describe('JSON Schema grammar', () => {
	it('random token walks over the real vocabulary always give schema-valid JSON (3 schemas × 60 walks)', async () => {
		const tokenizer = await loadTokenizer(DEFAULT_MODEL_DIR);
		const texts = tokenizer.tokenTexts();
		const ajv = new Ajv();
		for (const [name, schema] of Object.entries(SCHEMAS)) {
			const validate = ajv.compile(schema);
			const factory = jsonSchemaGrammar(schema, texts);
			for (const walk of randomWalks(factory, texts, 60, name.length, factory.minimumTokens + 60)) {
				expect(walk.ended, `${name}: ${walk.text}`).toBe(true);
				expect(walk.tokens).toBeLessThanOrEqual(walk.budget);
				const value = JSON.parse(walk.text);
				expect(validate(value), `${name}: ${walk.text} ${ajv.errorsText(validate.errors)}`).toBe(true);
			}
		}
	});

	it('lets optional keys be left out but never a required one, in the schema order', () => {
		const grammar = jsonSchemaGrammar(SCHEMAS.nested, []);
		expect(grammar.match('{"id": 1, "tags": ["a"]}')).toBe('complete');
		expect(grammar.match('{"id": -7, "score": 0.5, "tags": ["ab", ""], "value": "all"}')).toBe('complete');
		expect(grammar.match('{"tags": ["a"]}')).toBe('no');
		expect(grammar.match('{"id": 1, "tags": []}')).toBe('no');
		expect(grammar.match('{"id": 1.5, "tags": ["a"]}')).toBe('no');
		expect(grammar.match('{"tags": ["a"], "id": 1}')).toBe('no');
		expect(grammar.match('{"id": 1, "tags": ["a"], "owner": {"login": "x", "admin": true}}')).toBe('no');
	});

	it('refuses what it cannot guarantee with a one-line error naming the place', () => {
		expect(() => jsonSchemaGrammar({ type: 'string', pattern: '^a' }, [])).toThrow(
			/^JSON schema at the top level: unsupported keyword pattern$/
		);
		expect(() => jsonSchemaGrammar({ type: 'object', properties: { n: { type: 'integer', maximum: 3 } } }, [])).toThrow(
			/properties\.n: unsupported keyword maximum/
		);
		expect(() => jsonSchemaGrammar({ type: 'object', properties: {}, required: ['x'] }, [])).toThrow(
			/required key x is not in properties/
		);
		expect(() => jsonSchemaGrammar({ enum: [] }, [])).toThrow(/enum must be a non-empty array/);
		expect(() => jsonSchemaGrammar({ type: 'date' }, [])).toThrow(/unknown type date/);
		expect(() => jsonSchemaGrammar({ $ref: '#/$defs/missing' }, [])).toThrow(/does not name an entry of \$defs/);
		expect(() => jsonSchemaGrammar({ type: 'array', maxItems: 1000 }, [])).toThrow(/maxItems above 256/);
	});
});
