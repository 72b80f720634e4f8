// Loads a base model and expert packages over HTTP (the browser's origin, or a URL given to the CLI):
// config.json (with generation_config.json's end-of-sequence ids when the folder has one), tokenizer files,
// model.safetensors or its shards (or a graph built from them on an earlier visit); manifest + adapter files.
import { ExpertError } from '../errors.ts';
import { parseModelConfig, withGenerationConfig, type ModelConfig } from '../model/config.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import type { WeightFile } from '../model/weights.ts';
import { parseExpertPackage } from '../experts/package.ts';
import { loadAdapterWeights, type LoadedAdapter } from './adapter-weights.ts';
import { DownloadTracker, type DownloadProgress } from './download-progress.ts';
import type { RuntimeHost } from './host.ts';
import { buildRuntimeGraph, ModelRuntime, type LoadedModel } from './model-runtime.ts';
import { createTokenizer } from './tokenizer.ts';

async function fetchOk(url: string): Promise<Response> {
	const response = await fetch(url).catch(() => null);
	if (!response || !response.ok)
		throw new ExpertError('fetch-failed', `${url}: ${response ? `HTTP ${response.status}` : 'network error'}`);
	return response;
}

export const fetchText = async (url: string) => (await fetchOk(url)).text();
export const fetchBytes = async (url: string) => new Uint8Array(await (await fetchOk(url)).arrayBuffer());

async function fetchWeightFiles(base: string, tracker: DownloadTracker): Promise<WeightFile[]> {
	const single = await fetch(`${base}/model.safetensors`).catch(() => null);
	if (single?.ok) return [{ source: `${base}/model.safetensors`, bytes: await tracker.read(single) }];
	const index = JSON.parse(await fetchText(`${base}/model.safetensors.index.json`)) as {
		weight_map?: Record<string, string>;
	};
	const shards = [...new Set(Object.values(index.weight_map ?? {}))].sort();
	if (shards.length === 0)
		throw new ExpertError('missing-weights', `${base}: no model.safetensors and an empty shard index`);
	return Promise.all(
		shards.map(async (shard) => ({
			source: `${base}/${shard}`,
			bytes: await tracker.read(await fetchOk(`${base}/${shard}`))
		}))
	);
}

/** Where a built graph is kept between visits: read gives it back (null when there is none for this build), write stores it (and never rejects). */
export interface ReadyGraphCache {
	read(): Promise<Uint8Array | null>;
	write(graph: Uint8Array): Promise<void>;
}

export interface LoadFromUrlOptions {
	precision: WeightPrecision;
	withoutLora?: boolean;
	/** Called as the weight files arrive. */
	onDownload?: (progress: DownloadProgress) => void;
	/** Skip fetching the weights and building the graph when this holds the graph already; store it after a build. */
	readyGraph?: ReadyGraphCache;
}

/** The loaded model, and whether its graph came from `options.readyGraph`. */
export async function loadModelFromUrl(
	host: RuntimeHost,
	url: string,
	options: LoadFromUrlOptions
): Promise<LoadedModel & { graphCached: boolean }> {
	const base = url.replace(/\/+$/, '');
	const configSource = `${base}/config.json`;
	const generation = await fetch(`${base}/generation_config.json`);
	const parsed = parseModelConfig(await fetchText(configSource), configSource);
	const config = generation.ok
		? withGenerationConfig(parsed, await generation.text(), `${base}/generation_config.json`)
		: parsed;
	let graph = await options.readyGraph?.read();
	const graphCached = Boolean(graph);
	if (!graph) {
		graph = buildRuntimeGraph(
			config,
			await fetchWeightFiles(base, new DownloadTracker(options.onDownload ?? (() => {}))),
			options,
			configSource
		);
		void options.readyGraph?.write(graph); // stored while the session is created; it never fails the load
	}
	const runtime = await ModelRuntime.fromGraph(host, config, graph);
	const [tokenizerJson, tokenizerConfigJson] = await Promise.all([
		fetchText(`${base}/tokenizer.json`),
		fetchText(`${base}/tokenizer_config.json`)
	]);
	return { runtime, tokenizer: createTokenizer({ tokenizerJson, tokenizerConfigJson }, base), graphCached };
}

export async function loadAdapterFromUrl(config: ModelConfig, url: string): Promise<LoadedAdapter> {
	const base = url.replace(/\/+$/, '');
	const [manifest, adapterConfig, adapterWeights] = await Promise.all([
		fetchText(`${base}/manifest.json`),
		fetchText(`${base}/adapter_config.json`),
		fetchBytes(`${base}/adapter_model.safetensors`)
	]);
	return loadAdapterWeights(config, parseExpertPackage({ manifest, adapterConfig, adapterWeights }, base), base);
}
