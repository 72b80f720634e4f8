// The generation loop: prefill the prompt, then decode one token at a time on the KV cache, with sampling,
// stop strings, end-of-sequence ids, a token budget, an optional constraint, streaming and cancellation.
import type { KvCache } from './decoder-session.ts';
import type { ModelRuntime } from './model-runtime.ts';
import { seededRandom } from '../seeded-random.ts';
import { pickToken, type SamplingOptions } from './sampling.ts';

/** Restricts which tokens may come next (e.g. a grammar: JSON, JSON matching a schema, Cypher). */
export interface TokenConstraint {
	/** 1 for every token id allowed next (ids beyond the array are not allowed); `tokensLeft` lets it close in time. */
	allowedTokens(tokensLeft?: number): Uint8Array;
	accept(tokenId: number): void;
	/** True when the output may end here: end-of-sequence tokens are allowed. */
	canEnd(): boolean;
	/** True once nothing may follow: generation stops. */
	isComplete(): boolean;
}

export interface GenerateOptions extends SamplingOptions {
	maxTokens: number;
	stop?: string[];
	eosTokenIds?: number[];
	constraint?: TokenConstraint;
	/** Called with each new piece of text as soon as it is final (never inside a possible stop string). */
	onText?: (text: string) => void;
	signal?: AbortSignal;
}

export type FinishReason = 'eos' | 'stop' | 'length' | 'constraint' | 'aborted';

export interface GenerateResult {
	tokenIds: number[];
	text: string;
	finishReason: FinishReason;
	promptTokens: number;
	prefillMs: number;
	decodeMs: number;
}

/** Decode tokens per second of a generation (0 when nothing was decoded). */
export function decodeTokensPerSecond(result: GenerateResult): number {
	return result.decodeMs > 0 ? (result.tokenIds.length * 1000) / result.decodeMs : 0;
}

/** Length of the text that can be streamed: holds back a trailing partial UTF-8 character and stop-string prefixes. */
function streamableLength(text: string, stops: string[]): number {
	let end = text.endsWith('\uFFFD') ? text.length - 1 : text.length;
	for (const stop of stops) {
		for (let k = Math.min(stop.length - 1, end); k > 0; k--) {
			if (text.slice(end - k, end) === stop.slice(0, k)) {
				end -= k;
				break;
			}
		}
	}
	return Math.max(end, 0);
}

/** The constraint's mask, plus the end-of-sequence ids when the output may end (a copy; the mask is shared). */
function withEnd(mask: Uint8Array, eos: Set<number> | null): Uint8Array {
	if (!eos || eos.size === 0) return mask;
	const out = Uint8Array.from(mask);
	for (const id of eos) out[id] = 1;
	return out;
}

export async function generate(
	runtime: ModelRuntime,
	decode: (ids: number[]) => string,
	promptIds: number[],
	options: GenerateOptions
): Promise<GenerateResult> {
	if (promptIds.length === 0) throw new Error('generate: the prompt has no tokens');
	const random = seededRandom(options.seed ?? 0);
	const stops = (options.stop ?? []).filter((s) => s.length > 0);
	const eos = new Set(options.eosTokenIds ?? runtime.config.eosTokenIds);
	const history = [...promptIds];
	const generated: number[] = [];
	let text = '';
	let streamed = 0;
	let finishReason: FinishReason = 'length';
	const started = performance.now();
	let cache: KvCache = runtime.emptyCache();
	let step = await runtime.forward(promptIds, cache);
	const prefillMs = performance.now() - started;
	const vocab = runtime.config.vocabSize;
	let logits = step.logits.subarray(step.logits.length - vocab);
	while (generated.length < options.maxTokens) {
		if (options.signal?.aborted) {
			finishReason = 'aborted';
			break;
		}
		if (options.constraint?.isComplete()) {
			finishReason = 'constraint';
			break;
		}
		const allowed =
			options.constraint &&
			withEnd(
				options.constraint.allowedTokens(options.maxTokens - generated.length),
				options.constraint.canEnd() ? eos : null
			);
		const token = pickToken(logits, history, options, random, allowed);
		if (eos.has(token)) {
			finishReason = 'eos';
			break;
		}
		options.constraint?.accept(token);
		generated.push(token);
		history.push(token);
		text = decode(generated);
		const stopAt = Math.min(...stops.map((s) => text.indexOf(s)).filter((i) => i >= 0));
		if (Number.isFinite(stopAt)) {
			text = text.slice(0, stopAt);
			finishReason = 'stop';
			break;
		}
		const ready = streamableLength(text, stops);
		if (ready > streamed) {
			options.onText?.(text.slice(streamed, ready));
			streamed = ready;
		}
		if (generated.length >= options.maxTokens || options.constraint?.isComplete()) {
			finishReason = options.constraint?.isComplete() ? 'constraint' : 'length';
			break;
		}
		cache = step.cache;
		step = await runtime.forward([token], cache);
		runtime.releaseCache(cache);
		logits = step.logits;
	}
	runtime.releaseCache(step.cache);
	if (text.length > streamed) options.onText?.(text.slice(streamed));
	return {
		tokenIds: generated,
		text,
		finishReason,
		promptTokens: promptIds.length,
		prefillMs,
		decodeMs: performance.now() - started - prefillMs
	};
}
