// Writes the language head's training features to a folder the PyTorch trainer reads: pooled hidden states
// (float32 [N, 2 × hidden]), bag ids (int32, with int64 offsets), label indices, and meta.json (languages,
// feature shape, the experts stacked, each row's source and view). Computed by the same code classification runs.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';
import { featureText, LANGUAGE_FEATURE_CHARS, LANGUAGE_FEATURE_SHAPE, languageFeatures } from './language-features.ts';

/** Languages with fewer files than this get an extra view of each. */
const RARE_BELOW = 50;

export interface FeatureSource {
	text: string;
	language: string;
	source: string;
}

/** The views a file is seen in: its start, and for longer files stretches from lines a third (and, for the few
 * samples of rare languages, two thirds) of the way in, as a pasted snippet would be. */
export function featureViews(text: string, rare: boolean): Array<{ view: string; text: string }> {
	const views = [{ view: 'start', text: featureText(text) }];
	if (text.length < 1500) return views;
	for (const [view, share] of rare
		? ([
				['third', 1 / 3],
				['two-thirds', 2 / 3]
			] as const)
		: ([['third', 1 / 3]] as const)) {
		const line = text.indexOf('\n', Math.floor(text.length * share));
		if (line > 0 && text.length - line > 400)
			views.push({ view, text: text.slice(line + 1, line + 1 + LANGUAGE_FEATURE_CHARS) });
	}
	return views;
}

export async function writeLanguageFeatures(
	runtime: ModelRuntime,
	tokenizer: TextTokenizer,
	sources: readonly FeatureSource[],
	outDir: string,
	meta: { experts: string[] },
	onProgress: (done: number, total: number) => void = () => {},
	batchSize = 16
): Promise<{ rows: number }> {
	const languages = [...new Set(sources.map((s) => s.language))].sort();
	const index = new Map(languages.map((l, i) => [l, i]));
	const perLanguage = new Map<string, number>();
	for (const s of sources) perLanguage.set(s.language, (perLanguage.get(s.language) ?? 0) + 1);
	const rows = sources.flatMap((s) =>
		featureViews(s.text, perLanguage.get(s.language)! < RARE_BELOW).map((v) => ({
			...v,
			language: s.language,
			source: s.source
		}))
	);
	const width = 2 * runtime.config.hiddenSize;
	const pooled = new Float32Array(rows.length * width);
	const labels = new Int32Array(rows.length);
	const offsets = new BigInt64Array(rows.length + 1);
	const bagParts: Int32Array[] = [];
	let bagLength = 0;
	for (let start = 0; start < rows.length; start += batchSize) {
		const batch = rows.slice(start, start + batchSize);
		const tokens = batch.map((row) => tokenizer.encode(row.text));
		const features = await languageFeatures(runtime, tokens);
		features.forEach((f, i) => {
			const row = start + i;
			pooled.set(f.pooled, row * width);
			labels[row] = index.get(batch[i].language)!;
			offsets[row] = BigInt(bagLength);
			bagParts.push(f.bag);
			bagLength += f.bag.length;
		});
		onProgress(Math.min(start + batchSize, rows.length), rows.length);
	}
	offsets[rows.length] = BigInt(bagLength);
	const bag = new Int32Array(bagLength);
	let at = 0;
	for (const part of bagParts) {
		bag.set(part, at);
		at += part.length;
	}
	const staging = `${outDir}.partial`;
	await rm(staging, { recursive: true, force: true });
	await mkdir(staging, { recursive: true });
	const bytes = (a: Float32Array | Int32Array | BigInt64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
	await writeFile(path.join(staging, 'pooled.f32'), bytes(pooled));
	await writeFile(path.join(staging, 'labels.i32'), bytes(labels));
	await writeFile(path.join(staging, 'bag.i32'), bytes(bag));
	await writeFile(path.join(staging, 'bag-offsets.i64'), bytes(offsets));
	const metaJson = {
		languages,
		rows: rows.length,
		pooledWidth: width,
		vocabSize: runtime.config.vocabSize,
		shape: LANGUAGE_FEATURE_SHAPE,
		experts: meta.experts,
		sources: rows.map((r) => `${r.source}#${r.view}`)
	};
	await writeFile(path.join(staging, 'meta.json'), JSON.stringify(metaJson));
	await rm(outDir, { recursive: true, force: true });
	await rename(staging, outDir);
	return { rows: rows.length };
}
