// The classification benchmark: on a fixed set of real files (the held-out linguist split, else the real-project
// set), files per second after the model load, median and p95 ms per file, forward calls and tokens per file, and
// language top-1 — for onnxruntime-node CPU at 1 and 2 threads, Chromium's WASM backend (warm), and linguist-js
// on the same files in the same run, with the ratios; and the same files with names withheld (content only: the
// language head decides), in Node and in Chromium.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openClassificationSession } from '../classify/classification-session-fs.ts';
import { CLASSIFIER_EXPERT, loadPlanIds } from '../classify/expert-selection.ts';
import { nodeLinguistHeuristics } from '../classify/linguist-heuristics-fs.ts';
import { DEFAULT_CORPORA_DIR, loadCorpora, REPO_ROOT } from '../datasets/corpus-fs.ts';
import { heldOutFiles, technologyLabels, type LabelledFile } from '../eval/heldout-fs.ts';
import { linguistJsLanguages } from '../eval/linguist-js-baseline.ts';
import { readRealProjectSet } from '../eval/real-project-set-fs.ts';
import { ExpertError } from '../errors.ts';
import { median } from '../median.ts';
import { packageFolderNames, readRegistry } from '../experts/package-fs.ts';
import type { BenchMetric, BenchRunOptions, BenchSuite, BenchSuiteResult, BenchTable } from './bench-suite.ts';
import { targetMetric } from './bench-suite.ts';

const MODEL_DIR = path.join(REPO_ROOT, 'static/models/expert-base-tiny');
const EXPERTS_DIR = path.join(REPO_ROOT, 'experts');
const NODE_TARGET = 100;
const BROWSER_TARGET = 20;
const CONTENT_ONLY_NODE_TARGET = 30;
const LANGUAGE_ID_DIR = 'language-id-v1';
/** Files classified before timing starts (the first activation, ORT's first-run allocations). */
const WARM_UP = 3;

interface RunFigures {
	name: string;
	filesPerSecond: number;
	medianMs: number;
	p95Ms: number;
	callsPerFile: number;
	tokensPerFile: number;
	languageAccuracy: number;
	/** The first file after the model load (experts and the head read, first run at its shape). */
	firstAnswerMs?: number;
}

/**
 * The classifier before the evidence chain and batching (commit b2eb09f: type, every candidate language and up to
 * four technology steps scored option by option), as measured on 2026-12-01 on the first 60 files of the held-out
 * split by counting ModelRuntime.forward calls (1 thread): the figures the rows above are compared with.
 */
const BEFORE_B2EB09F = { filesPerSecond: 0.8, medianMs: 1208.5, p95Ms: 2240.4, callsPerFile: 58.3, tokensPerFile: 859 };

const percentile = (values: number[], share: number) =>
	[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))];

/** The bench set: the held-out split when the corpora are here, else the real-project set; --quick keeps 40. */
async function benchFiles(quick: boolean): Promise<{ files: LabelledFile[]; source: string }> {
	const realSet = path.join(REPO_ROOT, 'eval-data/real-projects');
	let files: LabelledFile[];
	let source: string;
	if (existsSync(DEFAULT_CORPORA_DIR)) {
		files = heldOutFiles(
			await loadCorpora(DEFAULT_CORPORA_DIR),
			technologyLabels(path.join(REPO_ROOT, 'datasets/eval/heldout-technologies.jsonl'))
		);
		source = 'held-out linguist split (../shared/corpora)';
	} else if (existsSync(path.join(realSet, 'labels.json'))) {
		files = (await readRealProjectSet(realSet)).map((f) => ({
			path: f.path,
			fileName: f.fileName,
			content: f.content,
			truth: { type: 'other', language: f.language, technologies: [] }
		}));
		source = 'real-project set (eval-data/real-projects)';
	} else
		throw new ExpertError(
			'bench-files-missing',
			'the classify bench needs ../shared/corpora or the real-project set (expert eval --fetch-real-set)'
		);
	return { files: quick ? files.slice(0, 40) : files, source };
}

/** The files as a pasted snippet is: no name, content alone. */
const withoutNames = (files: LabelledFile[]): LabelledFile[] => files.map((f) => ({ ...f, fileName: '' }));

async function nodeRun(
	files: LabelledFile[],
	threads: number,
	log: (line: string) => void,
	label = ''
): Promise<RunFigures> {
	const { session, runtime } = await openClassificationSession({
		model: MODEL_DIR,
		expertsDir: EXPERTS_DIR,
		precision: 'fp32',
		threads: threads,
		backend: 'cpu'
	});
	const selection = { mode: 'auto' } as const;
	const firstStarted = performance.now();
	await session.classify(files[0], selection);
	const firstAnswerMs = performance.now() - firstStarted;
	for (const file of files.slice(1, WARM_UP)) await session.classify(file, selection);
	const before = { ...runtime.counts };
	const times: number[] = [];
	let right = 0;
	const started = performance.now();
	for (const file of files) {
		const answer = await session.classify(file, selection);
		times.push(answer.milliseconds);
		if (answer.classification.language === file.truth.language) right++;
	}
	const seconds = (performance.now() - started) / 1000;
	log(`Node CPU, ${threads} thread(s)${label}: ${files.length} files in ${seconds.toFixed(1)} s`);
	return {
		name: `Node CPU (onnxruntime-node), ${threads} thread${threads > 1 ? 's' : ''}${label}`,
		filesPerSecond: files.length / seconds,
		medianMs: median(times),
		p95Ms: percentile(times, 0.95),
		callsPerFile: (runtime.counts.calls - before.calls) / files.length,
		tokensPerFile: (runtime.counts.tokens - before.tokens) / files.length,
		languageAccuracy: right / files.length,
		firstAnswerMs
	};
}

/** The same classification in Chromium's runtime worker on onnxruntime-web's WASM backend, after a warm-up. */
export async function browserRun(
	files: LabelledFile[],
	log: (line: string) => void,
	label = ''
): Promise<RunFigures | string> {
	const { chromiumMissing, startRuntimeBrowser } = await import('./runtime-browser.ts');
	if (chromiumMissing) return `Chromium WASM not measured: ${chromiumMissing}`;
	const experts = await packageFolderNames(
		EXPERTS_DIR,
		loadPlanIds([CLASSIFIER_EXPERT], await readRegistry(EXPERTS_DIR))
	);
	const harness = await startRuntimeBrowser({ '/repo/': REPO_ROOT });
	try {
		const page = await harness.browser.newPage();
		await page.goto(`${harness.server.origin}/`);
		await page.waitForFunction(() => 'runtimeApi' in window);
		const result = await page.evaluate(
			async ({ origin, experts, headDir, files, warmUp }) => {
				type Api = {
					load(r: object): Promise<{ backend: string }>;
					activate(e: object[]): Promise<unknown>;
					setLanguageHead(url: string | null): Promise<unknown>;
					classify(f: object[]): Promise<Array<{ classification: { language: string } }>>;
					forwardCounts(): Promise<{ calls: number; tokens: number }>;
				};
				const api = (window as unknown as { runtimeApi: Api }).runtimeApi;
				await api.load({
					modelUrl: `${origin}/repo/static/models/expert-base-tiny`,
					precision: 'fp32',
					wasmPaths: `${origin}/ort/`,
					backend: 'wasm'
				});
				await api.activate(experts.map((dir) => ({ url: `${origin}/repo/experts/${dir}`, weight: 1 })));
				if (headDir) await api.setLanguageHead(`${origin}/repo/experts/${headDir}`);
				for (const file of files.slice(0, warmUp)) await api.classify([file]);
				const before = await api.forwardCounts();
				const times: number[] = [];
				const languages: string[] = [];
				const started = performance.now();
				for (const file of files) {
					const start = performance.now();
					const [answer] = await api.classify([file]);
					times.push(performance.now() - start);
					languages.push(answer.classification.language);
				}
				const seconds = (performance.now() - started) / 1000;
				const after = await api.forwardCounts();
				return { seconds, times, languages, calls: after.calls - before.calls, tokens: after.tokens - before.tokens };
			},
			{
				origin: harness.server.origin,
				experts,
				headDir: existsSync(path.join(EXPERTS_DIR, LANGUAGE_ID_DIR)) ? LANGUAGE_ID_DIR : null,
				files: files.map((f) => ({ fileName: f.fileName, content: f.content })),
				warmUp: WARM_UP
			}
		);
		log(`Chromium WASM${label}: ${files.length} files in ${result.seconds.toFixed(1)} s`);
		return {
			name: `Chromium WASM (onnxruntime-web in the runtime worker), warm${label}`,
			filesPerSecond: files.length / result.seconds,
			medianMs: median(result.times),
			p95Ms: percentile(result.times, 0.95),
			callsPerFile: result.calls / files.length,
			tokensPerFile: result.tokens / files.length,
			languageAccuracy:
				result.languages.filter((language, i) => language === files[i].truth.language).length / files.length
		};
	} finally {
		await harness.close();
	}
}

async function runClassifyBench(options: BenchRunOptions): Promise<BenchSuiteResult> {
	const { files, source } = await benchFiles(options.quick);
	options.log(`${files.length} files: ${source}`);
	const heuristics = nodeLinguistHeuristics();
	const baseline = await linguistJsLanguages(heuristics, files);
	const linguistJs: RunFigures = {
		name: 'linguist-js 2.9.2 (rules only, one call for all files)',
		filesPerSecond: files.length / (baseline.milliseconds / 1000),
		medianMs: Number.NaN,
		p95Ms: Number.NaN,
		callsPerFile: 0,
		tokensPerFile: 0,
		languageAccuracy: files.filter((f) => baseline.languages.get(f.path) === f.truth.language).length / files.length
	};
	const CONTENT_ONLY = ', names withheld (content only)';
	const runs: RunFigures[] = [await nodeRun(files, 1, options.log), await nodeRun(files, 2, options.log)];
	const contentOnly = await nodeRun(withoutNames(files), 2, options.log, CONTENT_ONLY);
	runs.push(contentOnly);
	const notes = [
		`Bench set: ${files.length} real files, ${source}; the shipped embedded base (fp32), auto: the evidence chain, then the language-id head (the document classifier's stack where the head cannot rank the candidates).`
	];
	const best = runs[0].filesPerSecond > runs[1].filesPerSecond ? runs[0] : runs[1];
	const metrics: BenchMetric[] = [
		targetMetric('Node files/s after load (faster of 1 and 2 threads)', best.filesPerSecond, 'files/s', {
			atLeast: NODE_TARGET
		}),
		{
			name: 'Node files/s ÷ linguist-js files/s (same files, same run)',
			value: best.filesPerSecond / linguistJs.filesPerSecond,
			unit: 'ratio'
		},
		targetMetric('Node files/s, names withheld (content only), 2 threads', contentOnly.filesPerSecond, 'files/s', {
			atLeast: CONTENT_ONLY_NODE_TARGET
		}),
		targetMetric(
			'first pasted snippet after the model load (content only, experts and head read on demand), Node',
			contentOnly.firstAnswerMs ?? Number.NaN,
			'ms',
			{ below: 1000 }
		)
	];
	for (const [browserLabel, browserFiles] of [
		['', files],
		[CONTENT_ONLY, withoutNames(files)]
	] as const) {
		const browser = await browserRun(browserFiles, options.log, browserLabel);
		if (typeof browser === 'string') {
			notes.push(browser);
			break;
		}
		runs.push(browser);
		metrics.push(
			targetMetric(`Chromium WASM files/s, warm${browserLabel}`, browser.filesPerSecond, 'files/s', {
				atLeast: BROWSER_TARGET
			})
		);
	}
	const fixed = (x: number, digits = 1) => (Number.isNaN(x) ? '—' : x.toFixed(digits));
	const table: BenchTable = {
		title: `Classification speed (${files.length} files)`,
		columns: [
			'runner',
			'files/s',
			'median ms/file',
			'p95 ms/file',
			'forward calls/file',
			'tokens/file',
			'language top-1'
		],
		rows: [
			...runs,
			linguistJs,
			{
				...BEFORE_B2EB09F,
				name: 'before: b2eb09f, Node CPU, 1 thread (recorded, first 60 files)',
				languageAccuracy: Number.NaN
			}
		].map((r) => [
			r.name,
			fixed(r.filesPerSecond),
			fixed(r.medianMs),
			fixed(r.p95Ms),
			fixed(r.callsPerFile, 2),
			fixed(r.tokensPerFile, 0),
			Number.isNaN(r.languageAccuracy) ? '—' : `${(100 * r.languageAccuracy).toFixed(1)}%`
		])
	};
	return { suite: 'classify', environment: { files: files.length, source }, metrics, tables: [table], notes };
}

export const classifyBenchSuite: BenchSuite = {
	name: 'classify',
	description:
		'files/s, ms per file, forward calls and tokens per file on real files: Node CPU, Chromium WASM, linguist-js',
	run: runClassifyBench
};
