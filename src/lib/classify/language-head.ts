// The language-id expert's head: reads the features of language-features.ts and gives calibrated probabilities
// over the languages it was trained on, among the evidence's candidates or among all. Loaded from the package's
// adapter_model.safetensors (the head's tensors as PEFT saves modules_to_save) + head_config.json, from disk bytes or a URL. Browser-safe.
import { ExpertError } from '../errors.ts';
import { parseSafetensors, tensorToFloat32 } from '../experts/safetensors.ts';
import { fetchBytes, fetchText } from '../runtime/load-web.ts';
import type { LanguageFeatureShape, LanguageFeatures } from './language-features.ts';

export const LANGUAGE_HEAD_FILE = 'adapter_model.safetensors';
/** The module name the head's tensors are saved under (adapter_config.json's modules_to_save). */
export const LANGUAGE_HEAD_MODULE = 'language_head';
export const LANGUAGE_HEAD_CONFIG_FILE = 'head_config.json';
const PREFIX = `base_model.model.${LANGUAGE_HEAD_MODULE}.`;

/** Below this calibrated probability the answer says "uncertain" (a calibrated coin-flip or worse). */
export const UNCERTAIN_BELOW = 0.5;

export interface LanguageHeadConfig {
	languages: string[];
	shape: LanguageFeatureShape;
	pooled_width: number;
	bag_width: number;
	hidden: number;
	temperature: number;
	/** Training rows per language (same order as languages): the head learnt a √count prior (rows sampled ∝ 1/√count). */
	counts: number[];
}

/**
 * How the learnt √count prior is moved at answer time, in units of log count: among the evidence's candidates
 * toward equal odds (−½: the file's name already made each plausible), among all languages not at all. Chosen on
 * the training data's validation split (5% by hash; 1,414 file starts, 429 with an ambiguous name): candidates
 * 425/429 at −½ (421 at +½), all languages 1,322/1,414 at 0 (1,311 at +½).
 */
export const OPEN_SET_PRIOR_SHIFT = 0;
export const CANDIDATE_PRIOR_SHIFT = -0.5;

export interface RankedLanguage {
	language: string;
	probability: number;
}

export interface LanguageRanking {
	/** Best first; probabilities sum to 1 over the languages ranked. */
	ranked: RankedLanguage[];
	/** The top probability is below UNCERTAIN_BELOW. */
	uncertain: boolean;
}

export class LanguageHead {
	private readonly index: Map<string, number>;

	private constructor(
		readonly config: LanguageHeadConfig,
		private readonly bagEmbedding: Float32Array,
		private readonly pooledMean: Float32Array,
		private readonly pooledStd: Float32Array,
		private readonly hiddenWeight: Float32Array,
		private readonly hiddenBias: Float32Array,
		private readonly outputWeight: Float32Array,
		private readonly outputBias: Float32Array
	) {
		this.index = new Map(config.languages.map((language, i) => [language, i]));
	}

	/** Parses the head's two files; a one-line error names what is missing or mis-shaped. */
	static fromFiles(configText: string, tensorsBytes: Uint8Array, source: string): LanguageHead {
		let config: LanguageHeadConfig;
		try {
			config = JSON.parse(configText) as LanguageHeadConfig;
		} catch (error) {
			throw new ExpertError(
				'bad-language-head',
				`${source}/${LANGUAGE_HEAD_CONFIG_FILE} is not JSON (${(error as Error).message})`
			);
		}
		if (
			!Array.isArray(config.languages) ||
			config.languages.length < 2 ||
			!(config.temperature > 0) ||
			config.counts?.length !== config.languages.length
		) {
			throw new ExpertError(
				'bad-language-head',
				`${source}/${LANGUAGE_HEAD_CONFIG_FILE} needs languages (2 or more), a count per language and a positive temperature`
			);
		}
		const file = parseSafetensors(tensorsBytes, `${source}/${LANGUAGE_HEAD_FILE}`);
		const tensor = (name: string, shape: number[]) => {
			const view = file.tensors.get(PREFIX + name);
			if (!view || view.shape.join(',') !== shape.join(',')) {
				throw new ExpertError(
					'bad-language-head',
					`${source}/${LANGUAGE_HEAD_FILE}: ${PREFIX}${name} must have shape [${shape.join(', ')}]${view ? `, not [${view.shape.join(', ')}]` : ''}`
				);
			}
			return tensorToFloat32(view);
		};
		const { pooled_width: pooled, bag_width: bag, hidden, languages } = config;
		const bagSize = tensorShape(file.tensors.get(`${PREFIX}bag_embedding.weight`)?.shape)[0];
		return new LanguageHead(
			config,
			tensor('bag_embedding.weight', [bagSize, bag]),
			tensor('pooled_mean', [pooled]),
			tensor('pooled_std', [pooled]),
			tensor('hidden.weight', [hidden, bag + pooled]),
			tensor('hidden.bias', [hidden]),
			tensor('output.weight', [languages.length, hidden]),
			tensor('output.bias', [languages.length])
		);
	}

	get languages(): readonly string[] {
		return this.config.languages;
	}

	knows(language: string): boolean {
		return this.index.has(language);
	}

	/** Temperature-scaled logits over every language of the head. */
	logits(features: LanguageFeatures): Float32Array {
		const { bag_width: bagWidth, pooled_width: pooledWidth, hidden } = this.config;
		const input = new Float32Array(bagWidth + pooledWidth);
		const bagRows = this.bagEmbedding.length / bagWidth;
		let counted = 0;
		for (const id of features.bag) {
			if (id < 0 || id >= bagRows) continue;
			counted++;
			for (let j = 0; j < bagWidth; j++) input[j] += this.bagEmbedding[id * bagWidth + j];
		}
		if (counted > 0) for (let j = 0; j < bagWidth; j++) input[j] /= counted;
		for (let j = 0; j < pooledWidth; j++)
			input[bagWidth + j] = (features.pooled[j] - this.pooledMean[j]) / this.pooledStd[j];
		const activated = new Float32Array(hidden);
		const width = bagWidth + pooledWidth;
		for (let h = 0; h < hidden; h++) {
			let sum = this.hiddenBias[h];
			for (let j = 0; j < width; j++) sum += this.hiddenWeight[h * width + j] * input[j];
			activated[h] = gelu(sum);
		}
		const count = this.config.languages.length;
		const logits = new Float32Array(count);
		for (let l = 0; l < count; l++) {
			let sum = this.outputBias[l];
			for (let h = 0; h < hidden; h++) sum += this.outputWeight[l * hidden + h] * activated[h];
			logits[l] = sum / this.config.temperature;
		}
		return logits;
	}

	/** Calibrated probabilities over `candidates` the head knows (all its languages when none are given), best first. */
	rank(features: LanguageFeatures, candidates: readonly string[] = []): LanguageRanking {
		const logits = this.logits(features);
		const pool = candidates.length > 0 ? candidates.filter((c) => this.index.has(c)) : this.config.languages;
		const shift = candidates.length > 0 ? CANDIDATE_PRIOR_SHIFT : OPEN_SET_PRIOR_SHIFT;
		const scores = pool.map((language) => {
			const i = this.index.get(language)!;
			return logits[i] + shift * Math.log(Math.max(1, this.config.counts[i]));
		});
		const top = Math.max(...scores);
		const exps = scores.map((s) => Math.exp(s - top));
		const total = exps.reduce((a, b) => a + b, 0);
		const ranked = pool
			.map((language, i) => ({ language, probability: exps[i] / total }))
			.sort((a, b) => b.probability - a.probability);
		return { ranked, uncertain: (ranked[0]?.probability ?? 0) < UNCERTAIN_BELOW };
	}
}

/** Fetches the head of the package folder at `folderUrl` (with or without its trailing slash). */
export async function fetchLanguageHead(folderUrl: string): Promise<LanguageHead> {
	const folder = folderUrl.replace(/\/$/, '');
	const [config, weights] = await Promise.all([
		fetchText(`${folder}/${LANGUAGE_HEAD_CONFIG_FILE}`),
		fetchBytes(`${folder}/${LANGUAGE_HEAD_FILE}`)
	]);
	return LanguageHead.fromFiles(config, weights, folder);
}

function tensorShape(shape: number[] | undefined): number[] {
	return shape ?? [0];
}

/** GELU as PyTorch computes it by default (the exact erf form). */
function gelu(x: number): number {
	return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** erf to ~1e-7 (Abramowitz–Stegun 7.1.26 is too coarse for matching PyTorch; this is the W. J. Cody-style series/continued form). */
function erf(x: number): number {
	const sign = x < 0 ? -1 : 1;
	const a = Math.abs(x);
	if (a < 2.5) {
		// Maclaurin series: converges fast for small |x|.
		let term = a;
		let sum = a;
		const a2 = a * a;
		for (let n = 1; n < 60; n++) {
			term *= -a2 / n;
			const add = term / (2 * n + 1);
			sum += add;
			if (Math.abs(add) < 1e-12) break;
		}
		return (sign * 2 * sum) / Math.sqrt(Math.PI);
	}
	// Continued fraction for erfc at larger |x|.
	let f = 0;
	for (let n = 60; n >= 1; n--) f = n / 2 / (a + f);
	const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
	return sign * (1 - erfc);
}

/** The top three as the evidence line shows them: "Perl 0.97, Pod 0.03". */
export function topThreeText(ranking: LanguageRanking): string {
	return ranking.ranked
		.slice(0, 3)
		.map((r) => `${r.language} ${r.probability.toFixed(2)}`)
		.join(', ');
}
