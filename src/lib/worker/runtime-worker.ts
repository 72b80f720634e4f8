// Module Web Worker entry running the runtime in the browser: loads a base model and expert packages over
// HTTP, activates expert sets, returns logits, generates text and classifies documents; exposed to the
// page through comlink.
import { webLinguistHeuristics } from '../classify/linguist-heuristics-web.ts';
import * as Comlink from 'comlink';
import type { WeightPrecision } from '../model/quantize.ts';
import { generate, type GenerateOptions } from '../runtime/generate.ts';
import { classifyDocument, type DocumentAnswer, type DocumentInput } from '../classify/document-classifier.ts';
import { createWebHost, type WebBackend } from '../runtime/host-web.ts';
import type { LoadedAdapter } from '../runtime/adapter-weights.ts';
import { loadAdapterFromUrl, loadModelFromUrl } from '../runtime/load-web.ts';
import type { LoadedModel } from '../runtime/model-runtime.ts';
import { topTokens } from '../runtime/sampling.ts';
import type { ActiveExpert } from '../runtime/lora-stack.ts';
import { fetchLanguageHead, type LanguageHead } from '../classify/language-head.ts';
import { headCanRank, rankWithHead } from '../classify/language-ranking.ts';

let loaded: LoadedModel | null = null;
const adapters = new Map<string, LoadedAdapter>();
let activeExperts: ActiveExpert[] = [];
let languageHead: LanguageHead | null = null;

function model(): LoadedModel {
	if (!loaded) throw new Error('no model loaded: call load() first');
	return loaded;
}

export interface LoadRequest {
	modelUrl: string;
	precision: WeightPrecision;
	wasmPaths: string;
	backend?: WebBackend;
}

const api = {
	async load(request: LoadRequest): Promise<{ backend: string; ms: number }> {
		const started = performance.now();
		const host = await createWebHost({ wasmPaths: request.wasmPaths, backend: request.backend });
		loaded = await loadModelFromUrl(host, request.modelUrl, { precision: request.precision });
		adapters.clear();
		activeExperts = [];
		languageHead = null;
		return { backend: host.description, ms: performance.now() - started };
	},

	/** Fetches (once) and activates the experts at these package URLs, all checked before the switch. */
	async activate(
		experts: Array<{ url: string; weight: number }>
	): Promise<{ cached: boolean; ms: number; deviceBytes: number }> {
		const { runtime } = model();
		const started = performance.now();
		const active = [];
		for (const { url, weight } of experts) {
			let adapter = adapters.get(url);
			if (!adapter) adapters.set(url, (adapter = await loadAdapterFromUrl(runtime.config, url)));
			active.push({ adapter, weight });
		}
		const { cached } = await runtime.activate(active);
		activeExperts = active;
		return { cached, ms: performance.now() - started, deviceBytes: runtime.host.deviceBytes() };
	},

	/** Fetches the language head of the package at `url` (null: none); classify() then lets it decide what the evidence leaves open. */
	async setLanguageHead(url: string | null): Promise<{ languages: number }> {
		languageHead = url === null ? null : await fetchLanguageHead(url);
		return { languages: languageHead?.languages.length ?? 0 };
	},

	encode(text: string): number[] {
		return model().tokenizer.encode(text);
	},

	/** Logits of the last position for token ids (all of them, and the top `count`). */
	async logits(ids: number[], count = 20): Promise<{ last: Float32Array; top: Array<{ id: number; logit: number }> }> {
		const { runtime } = model();
		const result = await runtime.forward(ids, runtime.emptyCache());
		runtime.releaseCache(result.cache);
		const last = result.logits.slice(result.logits.length - runtime.config.vocabSize);
		return { last, top: topTokens(last, count) };
	},

	/** The model's forward runs and tokens so far (the classify bench's work per file). */
	forwardCounts(): { calls: number; tokens: number } {
		return { ...model().runtime.counts };
	},

	/** Classifies each document under the active experts (call activate() first), the language head deciding when one is set. */
	async classify(files: DocumentInput[]): Promise<DocumentAnswer[]> {
		const { runtime, tokenizer } = model();
		const head = languageHead;
		// The head reads the bare base's features (its package adds no LoRA); the active set comes back after.
		const ranker = head
			? async (file: DocumentInput, candidates: readonly string[]) => {
					if (!headCanRank(head, candidates)) return null;
					await runtime.activate([]);
					try {
						return await rankWithHead(runtime, tokenizer, head, file, candidates);
					} finally {
						await runtime.activate(activeExperts);
					}
				}
			: undefined;
		const answers: DocumentAnswer[] = [];
		for (const file of files)
			answers.push(await classifyDocument(runtime, tokenizer, webLinguistHeuristics(), file, ranker));
		return answers;
	},

	async generate(
		promptIds: number[],
		options: Omit<GenerateOptions, 'onText' | 'signal' | 'constraint'>,
		onText?: (text: string) => void
	) {
		const { runtime, tokenizer } = model();
		return generate(runtime, tokenizer.decode, promptIds, { ...options, onText });
	}
};

export type RuntimeWorkerApi = typeof api;

Comlink.expose(api);
