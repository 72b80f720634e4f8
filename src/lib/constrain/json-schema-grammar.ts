// JSON Schema → grammar, so constrained output is JSON that validates by construction, in one layout
// ({"k": v, "k2": [a, b]}, properties in schema order, optional ones may be left out). Supported: type (one or
// several), enum, const, properties, required, items, min/maxItems, min/maxLength, anyOf, $ref to $defs;
// annotations are ignored; any other keyword is refused with a one-line error rather than silently broken.
import { ExpertError } from '../errors.ts';
import { grammarConstraint, type GrammarConstraintFactory } from './grammar-constraint.ts';
import { alt, chars, opt, plus, ref, seq, star, type GrammarNode } from './grammar-rules.ts';
import { JSON_RULES } from './json-grammar.ts';

const ANNOTATIONS = new Set([
	'$schema',
	'$id',
	'$comment',
	'title',
	'description',
	'default',
	'examples',
	'format',
	'additionalProperties',
	'$defs',
	'definitions'
]);
const HANDLED = new Set([
	'type',
	'enum',
	'const',
	'properties',
	'required',
	'items',
	'minItems',
	'maxItems',
	'minLength',
	'maxLength',
	'anyOf',
	'$ref'
]);
/** Bounded repetition is spelled out; beyond this, maxItems / maxLength are refused. */
const MAX_BOUND = 256;

function fail(where: string, message: string): never {
	throw new ExpertError('bad-json-schema', `JSON schema ${where}: ${message}`);
}

type Schema = Record<string, unknown>;

class SchemaCompiler {
	readonly rules: Record<string, GrammarNode> = { ...JSON_RULES };
	private count = 0;

	constructor(private readonly root: Schema) {}

	private define(node: GrammarNode): GrammarNode {
		const name = `schema${this.count++}`;
		this.rules[name] = node;
		return ref(name);
	}

	private bound(schema: Schema, key: string, where: string, fallback: number): number {
		const value = schema[key] ?? fallback;
		if (!Number.isInteger(value) || (value as number) < 0) fail(where, `${key} must be a non-negative integer`);
		if ((value as number) > MAX_BOUND) fail(where, `${key} above ${MAX_BOUND} is not supported`);
		return value as number;
	}

	/** `min` to `max` (Infinity = unbounded) copies of `item`, separated. */
	private repeat(item: GrammarNode, separator: string, min: number, max: number): GrammarNode {
		const required = Array.from({ length: min }, (_, i) => (i === 0 ? item : seq(separator, item)));
		const more = (first: boolean) => (first ? item : seq(separator, item));
		let tail: GrammarNode = '';
		if (max === Number.POSITIVE_INFINITY)
			tail = min === 0 ? opt(seq(item, star(seq(separator, item)))) : star(seq(separator, item));
		else for (let k = max; k > min; k--) tail = opt(seq(more(k === 1 && min === 0), tail));
		return seq(...required, tail);
	}

	/** At most 15 digits: every integer it writes is a safe integer once parsed. */
	private integer(): GrammarNode {
		return seq(opt('-'), alt('0', seq(ref('digit19'), this.repeat(ref('digit'), '', 0, 14))));
	}

	compile(schema: unknown, where: string): GrammarNode {
		if (
			schema === true ||
			(typeof schema === 'object' && schema !== null && Object.keys(schema).every((k) => ANNOTATIONS.has(k)))
		)
			return ref('value');
		if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) fail(where, 'must be an object');
		const s = schema as Schema;
		const unsupported = Object.keys(s).filter((k) => !ANNOTATIONS.has(k) && !HANDLED.has(k));
		if (unsupported.length > 0)
			fail(where, `unsupported keyword${unsupported.length > 1 ? 's' : ''} ${unsupported.join(', ')}`);
		if (s.$ref !== undefined) return this.reference(String(s.$ref), where);
		if ('const' in s) return JSON.stringify(s.const);
		if (s.enum !== undefined) {
			if (!Array.isArray(s.enum) || s.enum.length === 0) fail(where, 'enum must be a non-empty array');
			return alt(...s.enum.map((v) => JSON.stringify(v)));
		}
		if (s.anyOf !== undefined) {
			if (!Array.isArray(s.anyOf) || s.anyOf.length === 0) fail(where, 'anyOf must be a non-empty array');
			return alt(...s.anyOf.map((sub, i) => this.compile(sub, `${where}.anyOf[${i}]`)));
		}
		const types = s.type === undefined ? null : Array.isArray(s.type) ? s.type : [s.type];
		if (!types) return ref('value');
		if (types.length === 0) fail(where, 'type is empty');
		return alt(...types.map((type) => this.typed(s, String(type), where)));
	}

	private typed(s: Schema, type: string, where: string): GrammarNode {
		switch (type) {
			case 'null':
				return 'null';
			case 'boolean':
				return alt('true', 'false');
			case 'integer':
				return this.integer();
			case 'number':
				// Exponents of at most two digits, so the value stays finite once parsed (1e999 is Infinity).
				return seq(
					this.integer(),
					opt(seq('.', plus(ref('digit')))),
					opt(seq(chars('eE'), opt(chars('+\\-')), ref('digit'), opt(ref('digit'))))
				);
			case 'string': {
				const min = this.bound(s, 'minLength', where, 0);
				const max = s.maxLength === undefined ? Number.POSITIVE_INFINITY : this.bound(s, 'maxLength', where, 0);
				if (max < min) fail(where, 'maxLength is below minLength');
				return seq('"', this.define(this.repeat(ref('character'), '', min, max)), '"');
			}
			case 'array': {
				const item = s.items === undefined ? ref('value') : this.define(this.compile(s.items, `${where}.items`));
				const min = this.bound(s, 'minItems', where, 0);
				const max = s.maxItems === undefined ? Number.POSITIVE_INFINITY : this.bound(s, 'maxItems', where, 0);
				if (max < min) fail(where, 'maxItems is below minItems');
				return seq('[', this.repeat(item, ', ', min, max), ']');
			}
			case 'object':
				return this.object(s, where);
			default:
				fail(where, `unknown type ${type}`);
		}
	}

	private object(s: Schema, where: string): GrammarNode {
		if (s.properties === undefined) return ref('object');
		if (typeof s.properties !== 'object' || s.properties === null) fail(where, 'properties must be an object');
		const entries = Object.entries(s.properties as Schema);
		const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
		for (const key of required)
			if (!(key in (s.properties as Schema))) fail(where, `required key ${key} is not in properties`);
		const members = entries.map(([key, sub]) =>
			seq(JSON.stringify(key), ': ', this.define(this.compile(sub, `${where}.properties.${key}`)))
		);
		// from(i, first): the members from i on, each optional one skippable; `first` = no ", " needed yet.
		const from = (i: number, first: boolean): GrammarNode => {
			if (i === entries.length) return '';
			const take = this.define(seq(first ? '' : ', ', members[i], from(i + 1, false)));
			return required.has(entries[i][0]) ? take : alt(take, from(i + 1, first));
		};
		return seq('{', from(0, true), '}');
	}

	private reference(target: string, where: string): GrammarNode {
		const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(target);
		const defs = match ? (this.root[match[1]] as Schema | undefined) : undefined;
		if (!match || !defs || !(match[2] in defs)) fail(where, `$ref ${target} does not name an entry of $defs`);
		const name = `def:${match[2]}`;
		if (!(name in this.rules)) {
			this.rules[name] = ''; // placeholder so a recursive reference finds the rule
			this.rules[name] = this.compile(defs[match[2]], `${where} → ${target}`);
		}
		return ref(name);
	}
}

/** Compiles a JSON schema once for a vocabulary; a one-line ExpertError when the schema uses what is not supported. */
export function jsonSchemaGrammar(schema: unknown, tokenTexts: readonly string[]): GrammarConstraintFactory {
	const compiler = new SchemaCompiler((typeof schema === 'object' && schema !== null ? schema : {}) as Schema);
	compiler.rules.schema = compiler.compile(schema, 'at the top level');
	return grammarConstraint('json-schema', compiler.rules, 'schema', tokenTexts);
}
