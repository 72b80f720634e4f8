// Builds the embedded base model end to end: corpus -> tokenizer -> token files -> pre-training -> fp16 export
// with model and data cards. Each stage keeps its output in the work folder and is skipped when that exists,
// so an interrupted build resumes (pre-training from its last checkpoint).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../lib/errors.ts';
import { dataCardMarkdown, modelCardMarkdown, type BaseBuildSummary } from '../lib/pretrain/base-model-cards.ts';
import {
	BASE_MODEL_NAME,
	BASE_MODEL_SHAPE,
	BASE_SPECIAL_TOKENS,
	baseGenerationConfig,
	baseModelConfig,
	type BaseSpecialToken
} from '../lib/model/base-model-config.ts';
import { publishFolder, writeModelFolder } from '../lib/pretrain/base-export-fs.ts';
import { countPreTokens, trainBaseTokenizer } from '../lib/pretrain/base-tokenizer.ts';
import {
	assembleCorpus,
	writeCorpus,
	type CorpusDocument,
	type SourceStats
} from '../lib/pretrain/corpus-assembly-fs.ts';
import { corpusSources } from '../lib/pretrain/corpus-sources-fs.ts';
import {
	HELDOUT_TOKENS_FILE,
	TRAIN_TOKENS_FILE,
	tokenizeCorpus,
	type TokenizedCorpus
} from '../lib/pretrain/corpus-tokens-fs.ts';
import { lossCurveSvg, type LossPoint } from '../lib/pretrain/loss-curve-svg.ts';
import { loadTokenizer } from '../lib/runtime/tokenizer.ts';
import { measureHeldoutLoss, runPretrain } from './base-worker-runs.ts';

export interface BaseBuildOptions {
	out: string;
	workDir: string;
	/** ../shared/corpora, or null to build from the machine's own files only. */
	corporaDir: string | null;
	nodeModulesDir: string;
	/** A held-out text file whose loss the model card records (and a test re-measures). */
	sampleFile: string;
	minutes: number;
	threads: number;
	vocabSize: number;
	batchSize: number;
	seqLen: number;
	lr: number;
	warmupSteps: number;
	/** Processes pre-training under torchrun (the same weights as one; each with `threads` threads). */
	nproc?: number;
	python?: string;
}

export type BuildProgress = (stage: 'corpus' | 'tokenizer' | 'tokens' | 'pretrain' | 'export', message: string) => void;

const LOSS_CURVE_FILE = 'loss-curve.svg';
const HELDOUT_WINDOWS = 96;
const FINAL_LOSS_STEPS = 50;

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
	await writeFile(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
	await rename(`${file}.tmp`, file);
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;

async function buildCorpus(options: BaseBuildOptions, dir: string, progress: BuildProgress): Promise<SourceStats[]> {
	const statsFile = path.join(dir, 'corpus-stats.json');
	if (existsSync(statsFile)) {
		progress('corpus', `reusing ${dir}`);
	} else {
		const sources = corpusSources({ corporaDir: options.corporaDir, nodeModulesDir: options.nodeModulesDir });
		const corpus = await assembleCorpus(sources, (s) =>
			progress('corpus', `${s.name}: ${s.documents} documents, ${(s.bytes / 1048576).toFixed(2)} MiB`)
		);
		await writeCorpus(dir, corpus);
	}
	return (await readJson<{ sources: SourceStats[] }>(statsFile)).sources;
}

async function buildTokenizer(
	options: BaseBuildOptions,
	corpusDir: string,
	modelDir: string,
	progress: BuildProgress
): Promise<Record<BaseSpecialToken, number>> {
	const configFile = path.join(modelDir, 'config.json');
	if (!existsSync(configFile)) {
		const counts = new Map<string, number>();
		for (const line of (await readFile(path.join(corpusDir, 'documents.jsonl'), 'utf8')).split('\n')) {
			if (!line) continue;
			const document = JSON.parse(line) as CorpusDocument;
			if (!document.heldout) countPreTokens(document.text, counts);
		}
		progress(
			'tokenizer',
			`${counts.size} distinct pre-tokens; learning ${options.vocabSize - 256 - BASE_SPECIAL_TOKENS.length} merges`
		);
		const tokenizer = trainBaseTokenizer(counts, options.vocabSize, BASE_MODEL_SHAPE.max_position_embeddings);
		await mkdir(modelDir, { recursive: true });
		await writeJsonAtomic(path.join(modelDir, 'tokenizer.json'), tokenizer.tokenizerJson);
		await writeJsonAtomic(path.join(modelDir, 'tokenizer_config.json'), tokenizer.tokenizerConfigJson);
		await writeJsonAtomic(configFile, baseModelConfig(tokenizer.vocabSize, tokenizer.specialTokenIds, 'float32'));
	} else progress('tokenizer', `reusing ${modelDir}`);
	const config = await readJson<Record<string, unknown>>(configFile);
	const vocabSize = config.vocab_size as number;
	return Object.fromEntries(
		BASE_SPECIAL_TOKENS.map((token, i) => [token, vocabSize - BASE_SPECIAL_TOKENS.length + i])
	) as Record<BaseSpecialToken, number>;
}

async function buildTokens(
	corpusDir: string,
	modelDir: string,
	endOfTextId: number,
	progress: BuildProgress
): Promise<TokenizedCorpus> {
	const summaryFile = path.join(corpusDir, 'tokens.json');
	if (existsSync(summaryFile) && existsSync(path.join(corpusDir, TRAIN_TOKENS_FILE))) {
		progress('tokens', `reusing ${corpusDir}/${TRAIN_TOKENS_FILE}`);
		return readJson<TokenizedCorpus>(summaryFile);
	}
	const tokenized = await tokenizeCorpus(
		path.join(corpusDir, 'documents.jsonl'),
		modelDir,
		endOfTextId,
		corpusDir,
		(done, total) => {
			if (done % 1000 === 0 || done === total) progress('tokens', `${done}/${total} documents`);
		}
	);
	await writeJsonAtomic(summaryFile, tokenized);
	return tokenized;
}

async function readLossLog(runDir: string): Promise<Array<LossPoint & { step: number }>> {
	return (await readFile(path.join(runDir, 'loss.jsonl'), 'utf8'))
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as LossPoint & { step: number });
}

/** Runs every stage and publishes the model folder at `options.out`; returns the summary the cards were written from. */
export async function buildBaseModel(options: BaseBuildOptions, progress: BuildProgress): Promise<BaseBuildSummary> {
	if (!existsSync(options.sampleFile))
		throw new ExpertError('missing-sample', `${options.sampleFile}: held-out sample file not found`);
	const corpusDir = path.join(options.workDir, 'corpus');
	const modelDir = path.join(options.workDir, 'model');
	const runDir = path.join(options.workDir, 'run');
	const sources = await buildCorpus(options, corpusDir, progress);
	const specialTokenIds = await buildTokenizer(options, corpusDir, modelDir, progress);
	const tokenized = await buildTokens(corpusDir, modelDir, specialTokenIds['<|endoftext|>'], progress);

	const trained = await runPretrain(
		{
			...options,
			modelDir,
			tokensPath: path.join(corpusDir, TRAIN_TOKENS_FILE),
			runDir,
			logPath: path.join(options.workDir, 'pretrain.log')
		},
		(event) => {
			if (event.event === 'step')
				progress(
					'pretrain',
					`step ${event.step}: loss ${event.loss}, ${event.tokens} tokens, ${Math.round(Number(event.train_seconds))} s`
				);
			else if (event.event !== 'done') progress('pretrain', JSON.stringify(event));
		}
	);
	const lossLog = await readLossLog(runDir);
	if (lossLog.length < 2)
		throw new ExpertError('pretrain-too-short', `${runDir}/loss.jsonl: fewer than two steps were logged`);

	progress('export', `writing fp16 weights to ${options.out}`);
	const modelConfig = await readJson<Record<string, unknown>>(path.join(modelDir, 'config.json'));
	const staging = await writeModelFolder(options.out, {
		tokenizerDir: modelDir,
		fp32WeightsPath: path.join(runDir, 'model.safetensors'),
		config: { ...modelConfig, torch_dtype: 'float16' },
		generationConfig: baseGenerationConfig(specialTokenIds)
	});
	progress('export', 'measuring held-out loss of the fp16 weights');
	const heldout = await measureHeldoutLoss(staging, path.join(corpusDir, HELDOUT_TOKENS_FILE), {
		seqLen: options.seqLen,
		maxWindows: HELDOUT_WINDOWS,
		threads: options.threads,
		python: options.python
	});
	const sampleIdsFile = path.join(options.workDir, 'sample-ids.json');
	const tokenizer = await loadTokenizer(staging);
	await writeFile(sampleIdsFile, JSON.stringify(tokenizer.encode(await readFile(options.sampleFile, 'utf8'))));
	const sample = await measureHeldoutLoss(staging, sampleIdsFile, {
		seqLen: options.seqLen,
		maxWindows: HELDOUT_WINDOWS,
		threads: options.threads,
		python: options.python
	});

	const tail = lossLog.slice(-FINAL_LOSS_STEPS);
	const summary: BaseBuildSummary = {
		name: BASE_MODEL_NAME,
		builtAt: new Date().toISOString(),
		corpus: {
			sources,
			trainTokens: tokenized.trainTokens,
			heldoutTokens: tokenized.heldoutTokens,
			tokensBySource: tokenized.tokensBySource,
			trainBytes: tokenized.trainBytes
		},
		tokenizer: {
			vocabSize: modelConfig.vocab_size as number,
			mergeCount: (modelConfig.vocab_size as number) - 256 - BASE_SPECIAL_TOKENS.length,
			specialTokens: specialTokenIds
		},
		architecture: modelConfig,
		parameters: Number(trained.parameters),
		training: {
			steps: Number(trained.steps),
			tokens: Number(trained.tokens),
			trainSeconds: Number(trained.train_seconds),
			budgetSeconds: Number(trained.budget_seconds),
			batchSize: options.batchSize,
			seqLen: options.seqLen,
			peakLr: options.lr,
			warmupSteps: options.warmupSteps,
			threads: options.threads,
			firstLoss: lossLog[0].loss,
			finalLoss: tail.reduce((sum, point) => sum + point.loss, 0) / tail.length
		},
		heldout: { loss: heldout.loss, perplexity: heldout.perplexity, tokens: heldout.tokens, seqLen: heldout.seq_len },
		sample: {
			file: path.basename(options.sampleFile),
			loss: sample.loss,
			tokens: sample.tokens,
			seqLen: sample.seq_len
		}
	};
	await writeFile(path.join(staging, LOSS_CURVE_FILE), lossCurveSvg(lossLog, `${BASE_MODEL_NAME} pre-training loss`));
	await writeFile(path.join(staging, 'MODEL_CARD.md'), modelCardMarkdown(summary, LOSS_CURVE_FILE));
	await writeFile(path.join(staging, 'DATA_CARD.md'), dataCardMarkdown(summary));
	await writeFile(path.join(staging, 'build_summary.json'), JSON.stringify(summary, null, 2) + '\n');
	await publishFolder(staging, options.out);
	progress('export', `published ${options.out}`);
	return summary;
}
