// What a network provider of examples looks like to the dataset engine: one call asks for a batch of
// examples and reports what came back (or null for an unusable completion), the tokens used and retries.
import type { DatasetFormat, Difficulty, Domain, Example } from '../formats.ts';

export interface ProviderUsage {
	inputTokens: number;
	outputTokens: number;
	/** Estimated from list prices; null when the model's price is unknown. */
	costUsd: number | null;
}

export interface BatchRequest {
	domain: Domain;
	task?: string;
	difficulty: Difficulty;
	format: DatasetFormat;
	count: number;
}

export type ProviderExample = Omit<Example, 'difficulty' | 'source'>;

export interface BatchResult {
	/** Parsed, validated examples; null when the completion was not usable JSON. */
	examples: ProviderExample[] | null;
	usage: ProviderUsage;
	retries: number;
}

export interface ExampleProvider {
	/** Provider and model, e.g. "openai:gpt-4o"; written as each record's source. */
	name: string;
	generateBatch(request: BatchRequest): Promise<BatchResult>;
}
