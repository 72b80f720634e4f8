// The Try page's form → the OpenAI-style chat request the worker runs: prompt, expert set, token budget,
// temperature, and the output constraint ("declared" = what the set's experts declare in their manifests).
import type { ChatRequest } from '../generation/chat-completion.ts';
import { jsonSyntaxReason } from '../json-error.ts';

export const OUTPUT_CHOICES = [
	{ value: 'declared', label: 'What the experts declare' },
	{ value: 'text', label: 'Free text' },
	{ value: 'json', label: 'Any JSON' },
	{ value: 'json-schema', label: 'JSON matching a schema' }
] as const;
export type OutputChoice = (typeof OUTPUT_CHOICES)[number]['value'];

export interface TryForm {
	prompt: string;
	output: OutputChoice;
	schemaText: string;
	maxTokens: number;
	temperature: number;
}

/** The request for one expert set; a one-line error when the schema text is not JSON. */
export function tryRequest(form: TryForm, experts: string[]): ChatRequest {
	const request: ChatRequest = {
		messages: [{ role: 'user', content: form.prompt }],
		max_tokens: form.maxTokens,
		temperature: form.temperature,
		experts
	};
	if (form.output === 'text') request.response_format = { type: 'text' };
	if (form.output === 'json') request.response_format = { type: 'json_object' };
	if (form.output === 'json-schema') {
		let schema: unknown;
		try {
			schema = JSON.parse(form.schemaText);
		} catch (error) {
			throw new Error(`the schema is not valid JSON (${jsonSyntaxReason(error)})`, { cause: error });
		}
		if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
			throw new Error('the schema must be a JSON object');
		request.response_format = {
			type: 'json_schema',
			json_schema: { name: 'schema', schema: schema as Record<string, unknown> }
		};
	}
	return request;
}

export const CONSTRAINT_LABELS: Record<string, string> = {
	none: 'free text',
	json: 'JSON grammar',
	'json-schema': 'JSON schema',
	cypher: 'Cypher grammar'
};
