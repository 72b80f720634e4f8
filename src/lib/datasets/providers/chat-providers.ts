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

export function openAiChatProvider(endpoint: ChatEndpoint): ExampleProvider {
	return {
		name: endpoint.name,
		async generateBatch(request: BatchRequest): Promise<BatchResult> {
			const { body, retries } = await postJsonWithRetry(
				`${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`,
				{ authorization: `Bearer ${endpoint.apiKey}` },
				{
					model: endpoint.model,
					temperature: 0.9,
					response_format: { type: 'json_object' },
					messages: [
						{ role: 'system', content: SYSTEM_PROMPT },
						{ role: 'user', content: batchPrompt(request) }
					]
				},
				endpoint.retry
			);
			const answer = body as { choices?: Array<{ message?: { content?: unknown } }>; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
			const content = answer.choices?.[0]?.message?.content;
			const inputTokens = tokenCount(answer.usage?.prompt_tokens);
			const outputTokens = tokenCount(answer.usage?.completion_tokens);
			return { examples: typeof content === 'string' ? parseCompletion(content, request) : null, usage: { inputTokens, outputTokens, costUsd: cost(endpoint, inputTokens, outputTokens) }, retries };
		}
	};
}

export const ANTHROPIC_API_VERSION = '2023-06-01';

export function anthropicMessagesProvider(endpoint: ChatEndpoint): ExampleProvider {
	return {
		name: endpoint.name,
		async generateBatch(request: BatchRequest): Promise<BatchResult> {
			const { body, retries } = await postJsonWithRetry(
				`${endpoint.baseUrl.replace(/\/+$/, '')}/v1/messages`,
				{ 'x-api-key': endpoint.apiKey, 'anthropic-version': ANTHROPIC_API_VERSION },
				{ model: endpoint.model, max_tokens: 8192, temperature: 0.9, system: SYSTEM_PROMPT, messages: [{ role: 'user', content: batchPrompt(request) }] },
				endpoint.retry
			);
			const answer = body as { content?: Array<{ type?: string; text?: unknown }>; usage?: { input_tokens?: unknown; output_tokens?: unknown } };
			const text = answer.content?.filter((part) => part.type === 'text' && typeof part.text === 'string').map((part) => part.text as string).join('');
			const inputTokens = tokenCount(answer.usage?.input_tokens);
			const outputTokens = tokenCount(answer.usage?.output_tokens);
			return { examples: text ? parseCompletion(text, request) : null, usage: { inputTokens, outputTokens, costUsd: cost(endpoint, inputTokens, outputTokens) }, retries };
		}
	};
}
