// Checks what an expert writes, not only what it picks: greedy answers to held-out prompts, scored by a
// validator (JSON.parse for the json-parser expert, Neo4j's Cypher grammar for neo4j-cypher). Browser-safe.
import { cypherSyntaxErrors } from '../datasets/cypher-syntax.ts';
import { promptText, type Example } from '../datasets/formats.ts';
import { generate, type TokenConstraint } from '../runtime/generate.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';

export interface GenerationCheckResult {
	prompts: number;
	valid: number;
	rate: number;
	/** A few answers, for the report. */
	samples: Array<{ prompt: string; answer: string; valid: boolean }>;
}

export type AnswerValidator = (answer: string) => boolean;

export const isValidJson: AnswerValidator = (answer) => {
	try {
		JSON.parse(answer);
		return true;
	} catch {
		return false;
	}
};

export const isValidCypher: AnswerValidator = (answer) => answer.trim() !== '' && cypherSyntaxErrors(answer).length === 0;

/** Greedy answers (at most `maxTokens`) to each example's prompt under the active experts, validated. */
export async function checkGenerations(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	examples: Example[],
	isValid: AnswerValidator,
	maxTokens = 96,
	/** A fresh decoding constraint per prompt (e.g. the JSON grammar), or none. */
	constraint?: () => TokenConstraint
): Promise<GenerationCheckResult> {
	let valid = 0;
	const samples: GenerationCheckResult['samples'] = [];
	for (const example of examples) {
		const prompt = promptText(example);
		const promptIds = tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: prompt }], true));
		const result = await generate(runtime, (ids) => tokenizer.decode(ids), promptIds, { maxTokens, temperature: 0, constraint: constraint?.() });
		const answer = result.text.trim();
		const ok = isValid(answer);
		if (ok) valid++;
		if (samples.length < 5) samples.push({ prompt: prompt.slice(0, 200), answer: answer.slice(0, 200), valid: ok });
	}
	return { prompts: examples.length, valid, rate: examples.length === 0 ? 0 : valid / examples.length, samples };
}
