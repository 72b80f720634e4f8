// Provider names accepted by `dataset create` (the seed's deepseek, gpt-4o, claude, offline, plus the
// generic openai and anthropic) with their wire format, default model, base URL and API-key variable.
import { ExpertError } from '../../errors.ts';
import { anthropicMessagesProvider, openAiChatProvider } from './chat-providers.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http-retry.ts';
import type { ExampleProvider } from './provider.ts';

interface NetworkProviderSpec {
	wire: 'openai' | 'anthropic';
	defaultModel: string;
	defaultBaseUrl: string;
	baseUrlVariable: string;
	keyVariable: string;
}

const NETWORK_PROVIDERS: Record<string, NetworkProviderSpec> = {
	deepseek: {
		wire: 'openai',
		defaultModel: 'deepseek-chat',
		defaultBaseUrl: 'https://api.deepseek.com',
		baseUrlVariable: 'DEEPSEEK_BASE_URL',
		keyVariable: 'DEEPSEEK_API_KEY'
	},
	'gpt-4o': {
		wire: 'openai',
		defaultModel: 'gpt-4o',
		defaultBaseUrl: 'https://api.openai.com/v1',
		baseUrlVariable: 'OPENAI_BASE_URL',
		keyVariable: 'OPENAI_API_KEY'
	},
	openai: {
		wire: 'openai',
		defaultModel: 'gpt-4o',
		defaultBaseUrl: 'https://api.openai.com/v1',
		baseUrlVariable: 'OPENAI_BASE_URL',
		keyVariable: 'OPENAI_API_KEY'
	},
	claude: {
		wire: 'anthropic',
		defaultModel: 'claude-sonnet-4-5',
		defaultBaseUrl: 'https://api.anthropic.com',
		baseUrlVariable: 'ANTHROPIC_BASE_URL',
		keyVariable: 'ANTHROPIC_API_KEY'
	},
	anthropic: {
		wire: 'anthropic',
		defaultModel: 'claude-sonnet-4-5',
		defaultBaseUrl: 'https://api.anthropic.com',
		baseUrlVariable: 'ANTHROPIC_BASE_URL',
		keyVariable: 'ANTHROPIC_API_KEY'
	}
};

export const PROVIDER_NAMES = ['offline', ...Object.keys(NETWORK_PROVIDERS)] as const;

/** List prices (US$ per million input/output tokens) used for the printed cost estimate. */
const PRICES: Record<string, { input: number; output: number }> = {
	'deepseek-chat': { input: 0.28, output: 0.42 },
	'gpt-4o': { input: 2.5, output: 10 },
	'gpt-4o-mini': { input: 0.15, output: 0.6 },
	'claude-sonnet-4-5': { input: 3, output: 15 },
	'claude-haiku-4-5': { input: 1, output: 5 }
};

export function isOfflineProvider(name: string): boolean {
	return name === 'offline';
}

/** Throws the one-line error for a provider name nobody knows. */
export function checkProviderName(name: string): void {
	if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
		throw new ExpertError(
			'unknown-provider',
			`unknown provider "${name}" (expected one of: ${PROVIDER_NAMES.join(', ')})`
		);
	}
}

export interface NetworkProviderOptions {
	model?: string;
	baseUrl?: string;
	retry?: Partial<RetryPolicy>;
}

/** Builds a network provider from its name and the environment (API key, optional base URL). */
export function createNetworkProvider(
	name: string,
	env: Record<string, string | undefined>,
	options: NetworkProviderOptions = {}
): ExampleProvider {
	checkProviderName(name);
	const spec = NETWORK_PROVIDERS[name];
	if (!spec) throw new ExpertError('not-a-network-provider', `provider "${name}" does not use the network`);
	const apiKey = env[spec.keyVariable];
	if (!apiKey) throw new ExpertError('missing-api-key', `provider "${name}" needs an API key in ${spec.keyVariable}`);
	const model = options.model ?? spec.defaultModel;
	const endpoint = {
		name: `${name}:${model}`,
		baseUrl: options.baseUrl ?? env[spec.baseUrlVariable] ?? spec.defaultBaseUrl,
		apiKey,
		model,
		pricePerMillion: PRICES[model] ?? null,
		retry: { ...DEFAULT_RETRY_POLICY, ...options.retry }
	};
	return spec.wire === 'openai' ? openAiChatProvider(endpoint) : anthropicMessagesProvider(endpoint);
}
