// The two wire formats providers speak: OpenAI-compatible chat completions (OpenAI, DeepSeek, llama.cpp,
// Ollama, vLLM; JSON mode on) and the Anthropic messages API. Each turns a batch request into one call.
import { batchPrompt, parseCompletion, SYSTEM_PROMPT } from './prompts.ts';
import { postJsonWithRetry, type RetryPolicy } from './http-retry.ts';
import type { BatchRequest, BatchResult, ExampleProvider } from './provider.ts';

export interface ChatEndpoint {
	/** Name written as each record's source, e.g. "deepseek:deepseek-chat". */
	name: string;
	baseUrl: string;
	apiKey: string;
	model: string;
	/** US dollars per million input and output tokens, when known. */
	pricePerMillion: { input: number; output: number } | null;
	retry: RetryPolicy;
}

function cost(endpoint: ChatEndpoint, inputTokens: number, outputTokens: number): number | null {
	if (!endpoint.pricePerMillion) return null;
	return (inputTokens * endpoint.pricePerMillion.input + outputTokens * endpoint.pricePerMillion.output) / 1e6;
}

function tokenCount(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** One wire format: where a batch goes, with which headers and body, and how its answer reads. */
interface Wire {
	path: string;
	headers(endpoint: ChatEndpoint): Record<string, string>;
	body(endpoint: ChatEndpoint, prompt: string): unknown;
	read(answer: unknown): { text: string | undefined; inputTokens: unknown; outputTokens: unknown };
}

function chatProvider(endpoint: ChatEndpoint, wire: Wire): ExampleProvider {
	return {
		name: endpoint.name,
		async generateBatch(request: BatchRequest): Promise<BatchResult> {
			const { body, retries } = await postJsonWithRetry(
				`${endpoint.baseUrl.replace(/\/+$/, '')}${wire.path}`,
				wire.headers(endpoint),
				wire.body(endpoint, batchPrompt(request)),
				endpoint.retry
			);
			const { text, ...usage } = wire.read(body);
			const inputTokens = tokenCount(usage.inputTokens);
			const outputTokens = tokenCount(usage.outputTokens);
			return {
				examples: text ? parseCompletion(text, request) : null,
				usage: { inputTokens, outputTokens, costUsd: cost(endpoint, inputTokens, outputTokens) },
				retries
			};
		}
	};
}

const OPENAI_CHAT: Wire = {
	path: '/chat/completions',
	headers: (endpoint) => ({ authorization: `Bearer ${endpoint.apiKey}` }),
	body: (endpoint, prompt) => ({
		model: endpoint.model,
		temperature: 0.9,
		response_format: { type: 'json_object' },
		messages: [
			{ role: 'system', content: SYSTEM_PROMPT },
			{ role: 'user', content: prompt }
		]
	}),
	read(body) {
		const answer = body as {
			choices?: Array<{ message?: { content?: unknown } }>;
			usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
		};
		const content = answer.choices?.[0]?.message?.content;
		return {
			text: typeof content === 'string' ? content : undefined,
			inputTokens: answer.usage?.prompt_tokens,
			outputTokens: answer.usage?.completion_tokens
		};
	}
};

export const ANTHROPIC_API_VERSION = '2023-06-01';

const ANTHROPIC_MESSAGES: Wire = {
	path: '/v1/messages',
	headers: (endpoint) => ({ 'x-api-key': endpoint.apiKey, 'anthropic-version': ANTHROPIC_API_VERSION }),
	body: (endpoint, prompt) => ({
		model: endpoint.model,
		max_tokens: 8192,
		temperature: 0.9,
		system: SYSTEM_PROMPT,
		messages: [{ role: 'user', content: prompt }]
	}),
	read(body) {
		const answer = body as {
			content?: Array<{ type?: string; text?: unknown }>;
			usage?: { input_tokens?: unknown; output_tokens?: unknown };
		};
		const text = answer.content
			?.filter((part) => part.type === 'text' && typeof part.text === 'string')
			.map((part) => part.text as string)
			.join('');
		return { text, inputTokens: answer.usage?.input_tokens, outputTokens: answer.usage?.output_tokens };
	}
};

export const openAiChatProvider = (endpoint: ChatEndpoint): ExampleProvider => chatProvider(endpoint, OPENAI_CHAT);

export const anthropicMessagesProvider = (endpoint: ChatEndpoint): ExampleProvider =>
	chatProvider(endpoint, ANTHROPIC_MESSAGES);
