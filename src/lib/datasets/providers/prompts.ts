// What providers are asked for (per domain, task, difficulty and format) and how their completions are
// read back: one JSON object {"examples": [...]}, each example checked field by field.
import type { Difficulty, Domain } from '../formats.ts';
import type { BatchRequest, ProviderExample } from './provider.ts';

const DOMAIN_BRIEFS: Record<Domain, string> = {
	'english-language':
		'English language skills: grammar correction, rewriting, summarising, continuing text, vocabulary.',
	'json-parsing':
		'JSON: validating documents, extracting values by path, listing keys, repairing broken JSON, converting data to JSON.',
	'neo4j-cypher':
		'Neo4j Cypher: translating questions into Cypher (MATCH, WHERE, RETURN, CREATE, MERGE, aggregations, paths) over a stated graph schema.',
	'python-code': 'Python programming: reading, explaining, writing and fixing real-world Python code.',
	'rust-code':
		'Rust programming: reading, explaining, writing and fixing idiomatic Rust code (ownership, traits, error handling, crates).',
	'document-classification':
		'Classifying files: given a file name and the start of its content, answer JSON {"type","language","technologies"}.'
};

const DIFFICULTY_BRIEFS: Record<Difficulty, string> = {
	easy: 'easy: short inputs, one step, common cases',
	medium: 'medium: realistic inputs needing a few steps',
	hard: 'hard: long or tricky inputs, edge cases, several steps'
};

export const SYSTEM_PROMPT =
	'You write training data for a small language model. Reply with exactly one JSON object and nothing else.';

export function batchPrompt(request: BatchRequest): string {
	const rejected = request.format === 'preference_pairs' ? ', "rejected": a plausible but wrong or worse answer' : '';
	return [
		`Domain: ${DOMAIN_BRIEFS[request.domain]}`,
		request.task ? `Task: ${request.task}` : 'Task: any task typical of the domain.',
		`Difficulty: ${DIFFICULTY_BRIEFS[request.difficulty]}.`,
		`Write ${request.count} different examples. Answers must be correct; do not repeat examples.`,
		`Reply as {"examples": [{"instruction": the request, "input": supporting text or "", "output": the correct answer${rejected}}]}.`
	].join('\n');
}

function asNonEmptyString(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Reads a completion into examples; null when it is not the JSON shape asked for. */
export function parseCompletion(
	text: string,
	request: Pick<BatchRequest, 'format' | 'task'>
): ProviderExample[] | null {
	const unfenced = text.trim().replace(/^```(?:json)?\s*\n?|\n?```$/g, '');
	let parsed: unknown;
	try {
		parsed = JSON.parse(unfenced);
	} catch {
		return null;
	}
	const list = Array.isArray(parsed) ? parsed : (parsed as { examples?: unknown })?.examples;
	if (!Array.isArray(list)) return null;
	const examples: ProviderExample[] = [];
	for (const item of list) {
		if (typeof item !== 'object' || item === null) continue;
		const fields = item as Record<string, unknown>;
		const instruction = asNonEmptyString(fields.instruction);
		const output = asNonEmptyString(fields.output);
		const input = typeof fields.input === 'string' ? fields.input : '';
		const rejected = asNonEmptyString(fields.rejected) ?? undefined;
		if (!instruction || !output) continue;
		if (request.format === 'preference_pairs' && (!rejected || rejected === output)) continue;
		examples.push({ task: request.task ?? 'provider', instruction, input, output, rejected });
	}
	return examples.length > 0 ? examples : null;
}
