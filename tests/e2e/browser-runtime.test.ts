// The runtime in headless Chromium (Debian package, playwright-core): the same code bundled into a module
// Web Worker runs the tiny Qwen2 fixture through onnxruntime-web on WebGPU (SwiftShader here; fp32 and q4)
// and on WASM, with three stacked experts; its logits and greedy generations match onnxruntime-node's. About 45 s.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/lib/runtime/generate.ts';
import { loadExperts, loadBaseModel } from '../../src/lib/runtime/load-fs.ts';
import { maxAbsDiff } from '../fixtures/reference-forward.ts';
import { chromiumMissing, startRuntimeBrowser, type RuntimeBrowser } from '../../src/lib/bench/runtime-browser.ts';
import { writeRandomAdapter, writeTinyModel } from '../fixtures/tiny-model.ts';

const TOLERANCE = 1e-4;
const EXPERTS = [
	{ name: 'alpha', r: 4, alpha: 8, targets: ['q_proj', 'v_proj'] as const, weight: 1 },
	{
		name: 'beta',
		r: 8,
		alpha: 16,
		targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const,
		weight: 0.5
	},
	{ name: 'gamma', r: 2, alpha: 6, targets: ['o_proj', 'down_proj'] as const, weight: -0.7 }
];

const skipReason = chromiumMissing;
if (skipReason) console.warn(`skipping browser runtime test: ${skipReason}`);

type Precision = 'fp32' | 'q4';

interface BrowserRun {
	backend: string;
	adapter: string;
	ids: number[];
	base: number[];
	stacked: number[];
	switchedBack: number[];
	firstActivation: { cached: boolean; ms: number; deviceBytes: number };
	switchBack: { cached: boolean; ms: number };
	switchAgain: { cached: boolean; ms: number };
	/** Greedy tokens generated with the 3 experts (KV cache kept on the device between steps on WebGPU). */
	generated: number[];
}

describe.skipIf(skipReason !== null)('runtime in a browser Web Worker', () => {
	let root: string;
	let harness: RuntimeBrowser;
	const nodeResults = new Map<Precision, { base: Float32Array; stacked: Float32Array; generated: number[] }>();
	let ids: number[];

	beforeAll(async () => {
		root = await mkdtemp(path.join(os.tmpdir(), 'browser-runtime-'));
		const { config } = await writeTinyModel(path.join(root, 'model'), { architecture: 'qwen2', seed: 21 });
		for (const [i, e] of EXPERTS.entries()) {
			await writeRandomAdapter(path.join(root, `${e.name}-v1`), config, {
				r: e.r,
				alpha: e.alpha,
				targetModules: [...e.targets],
				seed: 40 + i,
				name: e.name
			});
		}
		harness = await startRuntimeBrowser({ '/files/': root });

		for (const precision of ['fp32', 'q4'] as const) {
			const node = await loadBaseModel(path.join(root, 'model'), { precision, threads: 1 });
			ids = node.tokenizer.encode('Hello world, this is a test');
			const vocab = node.runtime.config.vocabSize;
			const base = (await node.runtime.forward(ids, node.runtime.emptyCache())).logits.slice(-vocab);
			const refs = EXPERTS.map((e) => ({ ref: path.join(root, `${e.name}-v1`), weight: e.weight }));
			await node.runtime.activate(await loadExperts(node.runtime, refs, root));
			const stacked = (await node.runtime.forward(ids, node.runtime.emptyCache())).logits.slice(-vocab);
			const generated = (await generate(node.runtime, node.tokenizer.decode, ids, { maxTokens: 6, eosTokenIds: [] }))
				.tokenIds;
			nodeResults.set(precision, { base, stacked, generated });
		}
	});
	afterAll(async () => {
		await harness?.close();
		if (root) await rm(root, { recursive: true, force: true });
	});

	async function runInBrowser(backend: 'webgpu' | 'wasm', precision: Precision): Promise<BrowserRun> {
		const page = await harness.browser.newPage();
		const { server } = harness;
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		try {
			await page.goto(`${server.origin}/`);
			await page.waitForFunction(() => 'runtimeApi' in window);
			const experts = EXPERTS.map((e) => ({ url: `${server.origin}/files/${e.name}-v1`, weight: e.weight }));
			return await page.evaluate(
				async ({ origin, backend, precision, experts }) => {
					type Api = {
						load(r: object): Promise<{ backend: string }>;
						encode(t: string): Promise<number[]>;
						logits(ids: number[]): Promise<{ last: Float32Array }>;
						activate(e: object[]): Promise<{ cached: boolean; ms: number; deviceBytes: number }>;
						generate(ids: number[], options: object): Promise<{ tokenIds: number[] }>;
					};
					const w = window as unknown as { runtimeApi: Api; adapterInfo(): Promise<string> };
					const api = w.runtimeApi;
					const loaded = await api.load({
						modelUrl: `${origin}/files/model`,
						precision,
						wasmPaths: `${origin}/ort/`,
						backend
					});
					const ids = await api.encode('Hello world, this is a test');
					const base = Array.from((await api.logits(ids)).last);
					const firstActivation = await api.activate(experts);
					const stacked = Array.from((await api.logits(ids)).last);
					const switchBack = await api.activate([]);
					const switchedBack = Array.from((await api.logits(ids)).last);
					const switchAgain = await api.activate(experts);
					const generated = (await api.generate(ids, { maxTokens: 6, eosTokenIds: [] })).tokenIds;
					return {
						backend: loaded.backend,
						adapter: await w.adapterInfo(),
						ids,
						base,
						stacked,
						switchedBack,
						firstActivation,
						switchBack,
						switchAgain,
						generated
					};
				},
				{ origin: server.origin, backend, precision, experts }
			);
		} finally {
			if (errors.length) console.warn(`page errors: ${errors.join('; ')}`);
			await page.close();
		}
	}

	it.each([
		['webgpu', 'fp32'],
		['wasm', 'fp32'],
		['webgpu', 'q4']
	] as const)('matches onnxruntime-node logits on %s (%s)', async (backend, precision) => {
		const run = await runInBrowser(backend, precision);
		const { base: nodeBase, stacked: nodeStacked, generated: nodeGenerated } = nodeResults.get(precision)!;
		const baseDiff = maxAbsDiff(Float32Array.from(run.base), nodeBase);
		const stackedDiff = maxAbsDiff(Float32Array.from(run.stacked), nodeStacked);
		console.log(
			`${run.backend} ${precision} (adapter: ${run.adapter}): max |diff| vs node ${baseDiff.toExponential(2)} (no experts), ${stackedDiff.toExponential(2)} (3 experts); ` +
				`first activation ${run.firstActivation.ms.toFixed(1)} ms, switch back ${run.switchBack.ms.toFixed(2)} ms, switch again ${run.switchAgain.ms.toFixed(2)} ms, LoRA device bytes ${run.firstActivation.deviceBytes}`
		);
		expect(run.backend).toBe(`onnxruntime-web ${backend}`);
		expect(run.ids).toEqual(ids);
		expect(baseDiff).toBeLessThanOrEqual(TOLERANCE);
		expect(stackedDiff).toBeLessThanOrEqual(TOLERANCE);
		expect(maxAbsDiff(Float32Array.from(run.switchedBack), nodeBase)).toBeLessThanOrEqual(TOLERANCE);
		expect(maxAbsDiff(nodeStacked, nodeBase)).toBeGreaterThan(0.05);
		expect(run.generated).toEqual(nodeGenerated);
		expect(run.switchBack.cached).toBe(true);
		expect(run.switchAgain.cached).toBe(true);
		if (backend === 'webgpu') expect(run.firstActivation.deviceBytes).toBeGreaterThan(0);
	});
});
