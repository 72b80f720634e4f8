// Which constraint a generation runs under: the format asked for (json, cypher, text) or a JSON schema, else
// what the active experts' manifests declare. Compiled grammars are kept per vocabulary, so their per-state
// token masks stay warm across generations (CLI, `expert serve`, the browser worker).
import { ExpertError } from '../errors.ts';
import type { OutputFormat } from '../experts/manifest.ts';
import { cypherGrammar } from './cypher-grammar.ts';
import type { GrammarConstraintFactory } from './grammar-constraint.ts';
import { jsonGrammar } from './json-grammar.ts';
import { jsonSchemaGrammar } from './json-schema-grammar.ts';

export interface OutputRequest {
	format?: OutputFormat;
	/** A JSON schema: the output is JSON that validates against it (wins over format). */
	schema?: unknown;
}

/** What a grammar-constrained generation is held to, for reports and the UI. */
export type ConstraintName = 'json' | 'json-schema' | 'cypher' | 'none';

const compiled = new WeakMap<readonly string[], Map<string, GrammarConstraintFactory>>();

/** The format the active experts declare; a one-line error when two of them declare different ones. */
export function declaredOutputFormat(declared: ReadonlyArray<{ name: string; format?: OutputFormat }>): OutputFormat {
	const formats = [
		...new Set(declared.map((d) => d.format).filter((f): f is OutputFormat => f !== undefined && f !== 'text'))
	];
	if (formats.length > 1) {
		const who = declared
			.filter((d) => d.format && d.format !== 'text')
			.map((d) => `${d.name}: ${d.format}`)
			.join(', ');
		throw new ExpertError(
			'output-conflict',
			`the active experts declare different outputs (${who}); choose one with --format`
		);
	}
	return formats[0] ?? 'text';
}

/** The grammar for a request over `tokenTexts`, or null for free text; checks the budget can hold an output. */
export function outputConstraint(
	request: OutputRequest,
	tokenTexts: readonly string[],
	maxTokens: number
): GrammarConstraintFactory | null {
	const key = request.schema !== undefined ? `schema:${JSON.stringify(request.schema)}` : (request.format ?? 'text');
	if (key === 'text') return null;
	let byKey = compiled.get(tokenTexts);
	if (!byKey) compiled.set(tokenTexts, (byKey = new Map()));
	let factory = byKey.get(key);
	if (!factory) {
		factory =
			request.schema !== undefined
				? jsonSchemaGrammar(request.schema, tokenTexts)
				: request.format === 'json'
					? jsonGrammar(tokenTexts)
					: cypherGrammar(tokenTexts);
		byKey.set(key, factory);
	}
	if (factory.minimumTokens > maxTokens) {
		throw new ExpertError(
			'bad-option',
			`max tokens ${maxTokens} is too few for the shortest valid ${factory.name} output (${factory.minimumTokens} tokens)`
		);
	}
	return factory;
}

export function constraintName(factory: GrammarConstraintFactory | null): ConstraintName {
	return (factory?.name as ConstraintName | undefined) ?? 'none';
}
