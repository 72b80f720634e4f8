// OpenAI-style chat completions on Expert (the wire format of `expert serve` and the app worker's generate
// call): the request (messages, max_tokens, temperature, top_p, seed, stop, stream, response_format, plus
// `experts`), running it on a base with an expert set under the constraint asked for or declared, and the
// response / stream-chunk bodies. Browser-safe.
import { z } from 'zod';
import {
	outputConstraint,
	constraintName,
	declaredOutputFormat,
	type ConstraintName,
	type OutputRequest
} from '../constrain/output-constraint.ts';
import { parseWithSchema } from '../experts/json-source.ts';
import type { ExpertManifest } from '../experts/manifest.ts';
import { loadPlanIds } from '../classify/expert-selection.ts';
import { ExpertError } from '../errors.ts';
import { decodeTokensPerSecond, generate, type FinishReason } from '../runtime/generate.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';

export const DEFAULT_MAX_TOKENS = 128;
const MAX_TOKENS_LIMIT = 2048;

const message = z.strictObject({
	role: z.enum(['system', 'user', 'assistant']),
	content: z.string(),
	name: z.string().optional()
});
const responseFormat = z.discriminatedUnion('type', [
	z.strictObject({ type: z.literal('text') }),
	z.strictObject({ type: z.literal('json_object') }),
	z.strictObject({
		type: z.literal('json_schema'),
		json_schema: z.object({
			name: z.string().optional(),
			schema: z.record(z.string(), z.unknown()),
			strict: z.boolean().nullable().optional(),
			description: z.string().optional()
		})
	})
]);

export const chatRequestSchema = z.object({
	model: z.string().optional(),
	messages: z.array(message).min(1, 'must hold at least one message'),
	max_tokens: z.number().int().min(1).max(MAX_TOKENS_LIMIT).nullable().optional(),
	max_completion_tokens: z.number().int().min(1).max(MAX_TOKENS_LIMIT).nullable().optional(),
	temperature: z.number().min(0).max(2).nullable().optional(),
	top_p: z.number().gt(0).max(1).nullable().optional(),
	seed: z.number().int().nullable().optional(),
	stop: z
		.union([z.string(), z.array(z.string()).max(4)])
		.nullable()
		.optional(),
	stream: z.boolean().nullable().optional(),
	stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
	response_format: responseFormat.optional(),
	n: z.literal(1, 'only n = 1 is supported').nullable().optional(),
	/** Beyond OpenAI's format: the expert set (names; their dependencies are added), as WebLLM and llama.cpp take adapters. */
	experts: z.array(z.string().min(1)).optional()
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Validates a request body: one ExpertError line naming every bad field. */
export function parseChatRequest(body: unknown): ChatRequest {
	return parseWithSchema(chatRequestSchema, body, 'request', 'bad-request');
}

/** What runs the request: the base, its tokenizer, and the experts it may stack (ClassificationSession fits). */
export interface GenerationContext {
	runtime: ModelRuntime;
	tokenizer: TextTokenizer;
	registry: ExpertManifest[];
	activate(ids: string[]): Promise<void>;
}

export interface ChatResult {
	text: string;
	finishReason: 'stop' | 'length' | 'cancelled';
	/** The generator's own reason (eos, constraint, stop, length, aborted). */
	detail: FinishReason;
	experts: string[];
	constraint: ConstraintName;
	promptTokens: number;
	completionTokens: number;
	prefillMs: number;
	decodeMs: number;
	decodeTokensPerSecond: number;
}

/** The constraint a request asks for; undefined: what the experts declare. */
function requestedOutput(format: ChatRequest['response_format']): OutputRequest | undefined {
	if (!format) return undefined;
	if (format.type === 'text') return { format: 'text' };
	if (format.type === 'json_object') return { format: 'json' };
	return { schema: format.json_schema.schema };
}

/** Runs one chat completion: activates the expert set (dependencies first), constrains, streams text pieces. */
export async function runChatCompletion(
	context: GenerationContext,
	request: ChatRequest,
	onText?: (text: string) => void,
	signal?: AbortSignal
): Promise<ChatResult> {
	const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_MAX_TOKENS;
	const ids = request.experts?.length ? loadPlanIds(request.experts, context.registry) : [];
	const manifests = ids.map((id) => context.registry.find((m) => `${m.name}@${m.version}` === id)!);
	const output = requestedOutput(request.response_format) ?? {
		format: declaredOutputFormat(manifests.map((m) => ({ name: m.name, format: m.output?.format })))
	};
	const grammar = outputConstraint(output, context.tokenizer.tokenTexts(), maxTokens);
	await context.activate(ids);
	const promptIds = context.tokenizer.encode(
		context.tokenizer.chatPrompt(request.messages.map(({ role, content }) => ({ role, content })))
	);
	if (promptIds.length === 0) throw new ExpertError('bad-request', 'messages: encode to no tokens');
	const stop = request.stop == null ? [] : Array.isArray(request.stop) ? request.stop : [request.stop];
	const result = await generate(context.runtime, context.tokenizer.decode, promptIds, {
		maxTokens,
		temperature: request.temperature ?? 0,
		topP: request.top_p ?? undefined,
		seed: request.seed ?? 0,
		stop: grammar ? [] : stop,
		constraint: grammar?.start(),
		onText,
		signal
	});
	return {
		text: result.text,
		finishReason:
			result.finishReason === 'length' ? 'length' : result.finishReason === 'aborted' ? 'cancelled' : 'stop',
		detail: result.finishReason,
		experts: ids,
		constraint: constraintName(grammar),
		promptTokens: result.promptTokens,
		completionTokens: result.tokenIds.length,
		prefillMs: result.prefillMs,
		decodeMs: result.decodeMs,
		decodeTokensPerSecond: decodeTokensPerSecond(result)
	};
}

interface Envelope {
	id: string;
	model: string;
	created: number;
}

const usageOf = (result: ChatResult) => ({
	prompt_tokens: result.promptTokens,
	completion_tokens: result.completionTokens,
	total_tokens: result.promptTokens + result.completionTokens
});
/** Beyond OpenAI's format: which experts and constraint answered, and how fast. */
const expertOf = (result: ChatResult) => ({
	experts: result.experts,
	constraint: result.constraint,
	finish_detail: result.detail,
	decode_tokens_per_second: Math.round(result.decodeTokensPerSecond * 10) / 10
});
const wireFinish = (result: ChatResult) => (result.finishReason === 'cancelled' ? 'stop' : result.finishReason);

export function completionBody(envelope: Envelope, result: ChatResult) {
	return {
		id: envelope.id,
		object: 'chat.completion',
		created: envelope.created,
		model: envelope.model,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: result.text },
				logprobs: null,
				finish_reason: wireFinish(result)
			}
		],
		usage: usageOf(result),
		expert: expertOf(result)
	};
}

/** One streamed chunk: a piece of text (the first also carries the role), or the closing chunk with the finish reason. */
export function chunkBody(
	envelope: Envelope,
	piece: { text: string; first: boolean } | { result: ChatResult; includeUsage: boolean }
) {
	const base = { id: envelope.id, object: 'chat.completion.chunk', created: envelope.created, model: envelope.model };
	if ('text' in piece)
		return {
			...base,
			choices: [
				{
					index: 0,
					delta: piece.first ? { role: 'assistant', content: piece.text } : { content: piece.text },
					logprobs: null,
					finish_reason: null
				}
			]
		};
	return {
		...base,
		choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: wireFinish(piece.result) }],
		...(piece.includeUsage ? { usage: usageOf(piece.result) } : {}),
		expert: expertOf(piece.result)
	};
}
