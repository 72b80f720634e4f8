// Checks what an expert writes, not only what it picks: greedy answers to held-out prompts, scored for form
// by a validator (JSON.parse, ajv against a schema, Neo4j's Cypher grammar) and for content against the
// example's intended output (extract: the same value; fix: the same document; Cypher: the intended query's
// labels, relationship types and property keys present), with decode tokens/s. Browser-safe.
import { cypherSyntaxErrors } from '../datasets/cypher-syntax.ts';
import { promptText, type Example } from '../datasets/formats.ts';
import { median } from '../median.ts';
import { decodeTokensPerSecond, generate, type TokenConstraint } from '../runtime/generate.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';

export interface GenerationCheckResult {
	prompts: number;
	valid: number;
	rate: number;
	/** Mean content score (0–1) over the prompts, or null when the check has no content measure. */
	content: number | null;
	/** Median decode tokens/s over the prompts. */
	tokensPerSecond: number;
	/** A few answers, for the report. */
	samples: Array<{ prompt: string; answer: string; valid: boolean }>;
}

export type AnswerValidator = (answer: string, example: Example) => boolean;
/** How much of the intended output the answer holds, 0–1. */
export type ContentScore = (answer: string, example: Example) => number;

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

/** Structural equality of parsed JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	const keysA = Object.keys(a);
	const keysB = Object.keys(b);
	return (
		keysA.length === keysB.length &&
		keysA.every((k) => k in b && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
	);
}

export const isValidJson: AnswerValidator = (answer) => parsed(answer).ok;

export const isValidCypher: AnswerValidator = (answer) =>
	answer.trim() !== '' && cypherSyntaxErrors(answer).length === 0;

/** Extract and fix tasks: 1 when the answer parses to the value the example intends. */
export const sameJsonValue: ContentScore = (answer, example) => {
	const got = parsed(answer);
	const wanted = parsed(example.output);
	return got.ok && wanted.ok && sameJson(got.value, wanted.value) ? 1 : 0;
};

/** Labels (:Label), relationship types ([:TYPE]) and property keys (.key, {key:) of a query. */
export function cypherNames(query: string): Set<string> {
	const names = new Set<string>();
	for (const match of query.matchAll(
		/:\s*([A-Za-z_][A-Za-z0-9_]*)|\.([A-Za-z_][A-Za-z0-9_]*)|[{,]\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/g
	))
		names.add(match[1] ?? match[2] ?? match[3]);
	return names;
}

/** Share of the intended query's labels, types and property keys that the answer also names. */
export const cypherNamesPresent: ContentScore = (answer, example) => {
	const wanted = cypherNames(example.output);
	if (wanted.size === 0) return 1;
	const got = cypherNames(answer);
	return [...wanted].filter((name) => got.has(name)).length / wanted.size;
};

/** A JSON schema of the shape of `value` (every key required), so a prompt can ask for that shape. */
export function schemaOfValue(value: unknown): Record<string, unknown> {
	if (value === null) return { type: 'null' };
	if (Array.isArray(value))
		return value.length > 0 ? { type: 'array', items: schemaOfValue(value[0]) } : { type: 'array' };
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>);
		return {
			type: 'object',
			properties: Object.fromEntries(entries.map(([k, v]) => [k, schemaOfValue(v)])),
			required: entries.map(([k]) => k)
		};
	}
	if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
	return { type: typeof value };
}

export interface GenerationCheck {
	examples: Example[];
	isValid: AnswerValidator;
	content?: ContentScore;
	/** A fresh decoding constraint for each example (e.g. its grammar or schema), or none. */
	constraint?: (example: Example) => TokenConstraint;
	maxTokens?: number;
}

/** Greedy answers to each example's prompt under the active experts, validated and scored. */
export async function checkGenerations(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	check: GenerationCheck
): Promise<GenerationCheckResult> {
	let valid = 0;
	let content = 0;
	const rates: number[] = [];
	const samples: GenerationCheckResult['samples'] = [];
	for (const example of check.examples) {
		const prompt = promptText(example);
		const promptIds = tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: prompt }], true));
		const result = await generate(runtime, (ids) => tokenizer.decode(ids), promptIds, {
			maxTokens: check.maxTokens ?? 96,
			temperature: 0,
			constraint: check.constraint?.(example)
		});
		if (result.tokenIds.length > 1) rates.push(decodeTokensPerSecond(result));
		const answer = result.text.trim();
		const ok = check.isValid(answer, example);
		if (ok) valid++;
		if (check.content) content += check.content(answer, example);
		if (samples.length < 5) samples.push({ prompt: prompt.slice(0, 200), answer: answer.slice(0, 200), valid: ok });
	}
	const count = check.examples.length;
	return {
		prompts: count,
		valid,
		rate: count === 0 ? 0 : valid / count,
		content: check.content && count > 0 ? content / count : null,
		tokensPerSecond: rates.length ? median(rates) : 0,
		samples
	};
}
