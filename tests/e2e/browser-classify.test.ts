// The shipped embedded model and experts in the browser: headless Chromium's runtime worker loads
// static/models/expert-base-tiny and the document classifier with its dependencies over HTTP and
// classifies real files on WASM (fp32) and one on WebGPU (q4, SwiftShader) — files the model decides among
// candidates or among all languages, and files the evidence decides; the answers equal onnxruntime-node's.
import { nodeLinguistHeuristics } from '../../src/lib/classify/linguist-heuristics-fs.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openExpertFolder } from '../../src/lib/classify/expert-loader-fs.ts';
import { CLASSIFIER_EXPERT, loadPlanIds } from '../../src/lib/classify/expert-selection.ts';
import { resolveLoadPlan } from '../../src/lib/experts/resolver.ts';
import { packageFolderNames, readRegistry } from '../../src/lib/experts/package-fs.ts';
import { classifyDocument, type DocumentInput } from '../../src/lib/classify/document-classifier.ts';
import { loadBaseModel } from '../../src/lib/runtime/load-fs.ts';
import { chromiumMissing, startRuntimeBrowser, type RuntimeBrowser } from '../../src/lib/bench/runtime-browser.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
// Real files under names that make the model decide, and two the evidence decides. The first is the one WebGPU
// classifies (SwiftShader runs it in software): its extension leaves Modelica and Motoko, scored in one batched run;
// the second has no name, extension or shebang evidence, so the model picks from every language.
const SAMPLES = [
	{ name: 'package4.mo', from: 'tests/fixtures/evidence-samples/package4.mo' },
	{ name: 'package4', from: 'tests/fixtures/evidence-samples/package4.mo' },
	{ name: 'Field.h', from: 'datasets/samples/Field.h' },
	{ name: 'fib.pl', from: 'datasets/samples/fib.pl' }
];

if (chromiumMissing) console.warn(`skipping browser classification test: ${chromiumMissing}`);

describe.skipIf(chromiumMissing !== null)('classification in the browser matches Node', () => {
	let harness: RuntimeBrowser;
	let files: DocumentInput[];
	let expertDirs: string[];

	beforeAll(async () => {
		files = await Promise.all(
			SAMPLES.map(async ({ name, from }) => ({
				fileName: name,
				content: await readFile(path.join(REPO, from), 'utf8')
			}))
		);
		const expertsDir = path.join(REPO, 'experts');
		expertDirs = await packageFolderNames(expertsDir, loadPlanIds([CLASSIFIER_EXPERT], await readRegistry(expertsDir)));
		harness = await startRuntimeBrowser({ '/repo/': REPO });
	});
	afterAll(async () => {
		await harness?.close();
	});

	async function nodeAnswers(precision: 'fp32' | 'q4', count: number): Promise<string[]> {
		const { runtime, tokenizer } = await loadBaseModel(path.join(REPO, 'static/models/expert-base-tiny'), {
			precision,
			threads: 1
		});
		const folder = await openExpertFolder(path.join(REPO, 'experts'), runtime.config);
		const plan = resolveLoadPlan([CLASSIFIER_EXPERT], folder.registry).plan;
		const adapters = await Promise.all(plan.map((e) => folder.loadAdapter(`${e.name}@${e.version}`)));
		await runtime.activate(adapters.map((adapter) => ({ adapter, weight: 1 })));
		const answers: string[] = [];
		for (const file of files.slice(0, count)) {
			const answer = await classifyDocument(runtime, tokenizer, nodeLinguistHeuristics(), file);
			answers.push(`${answer.json} ${answer.evidence.language}`);
		}
		return answers;
	}

	async function browserAnswers(
		backend: 'wasm' | 'webgpu',
		precision: 'fp32' | 'q4',
		count: number
	): Promise<{ backend: string; answers: string[] }> {
		const page = await harness.browser.newPage();
		try {
			await page.goto(`${harness.server.origin}/`);
			await page.waitForFunction(() => 'runtimeApi' in window);
			return await page.evaluate(
				async ({ origin, backend, precision, experts, files }) => {
					type Api = {
						load(r: object): Promise<{ backend: string }>;
						activate(e: object[]): Promise<unknown>;
						classify(f: object[]): Promise<Array<{ json: string; evidence: { language: string } }>>;
					};
					const api = (window as unknown as { runtimeApi: Api }).runtimeApi;
					const loaded = await api.load({
						modelUrl: `${origin}/repo/static/models/expert-base-tiny`,
						precision,
						wasmPaths: `${origin}/ort/`,
						backend
					});
					await api.activate(experts.map((dir) => ({ url: `${origin}/repo/experts/${dir}`, weight: 1 })));
					return {
						backend: loaded.backend,
						answers: (await api.classify(files)).map((a) => `${a.json} ${a.evidence.language}`)
					};
				},
				{ origin: harness.server.origin, backend, precision, experts: expertDirs, files: files.slice(0, count) }
			);
		} finally {
			await page.close();
		}
	}

	it.each([
		['wasm', 'fp32', 4],
		['webgpu', 'q4', 1]
	] as const)(
		'%s (%s) gives the same answers as onnxruntime-node',
		async (backend, precision, count) => {
			const [node, browser] = [await nodeAnswers(precision, count), await browserAnswers(backend, precision, count)];
			console.log(`${browser.backend} ${precision}: ${browser.answers.join(' | ')}`);
			expect(browser.backend).toBe(`onnxruntime-web ${backend}`);
			expect(browser.answers).toHaveLength(count);
			for (const answer of browser.answers)
				expect(() => JSON.parse(answer.slice(0, answer.indexOf('} ') + 1))).not.toThrow();
			expect(node[0]).toContain('model among [Modelica, Motoko]');
			if (count > 1) expect(node[1]).toContain('model among all languages');
			expect(browser.answers).toEqual(node);
		},
		900_000
	);
});
