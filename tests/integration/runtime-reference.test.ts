// Reference agreement of the ONNX decoder (fp32, onnxruntime-node CPU) with an independent PyTorch forward
// pass: no adapter, one adapter, three stacked adapters (different ranks, targets, weights), both
// architectures, and incremental KV-cache decoding against full recompute. About 10 s.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder } from '../../src/lib/model/model-folder.ts';
import { readAdapter } from '../../src/lib/runtime/adapter-files-fs.ts';
import { createNodeHost } from '../../src/lib/runtime/host-fs.ts';
import { ModelRuntime } from '../../src/lib/runtime/model-runtime.ts';
import type { ActiveExpert } from '../../src/lib/runtime/lora-stack.ts';
import { maxAbsDiff, referenceLogits, torchUnavailableReason } from '../fixtures/reference-forward.ts';
import { writeRandomAdapter, writeTinyModel, type LoraModule, type TinyArchitecture } from '../fixtures/tiny-model.ts';

const TOLERANCE = 1e-4;
const skipReason = torchUnavailableReason();
if (skipReason) console.warn(`skipping reference agreement: ${skipReason}`);

const ADAPTERS: Array<{ name: string; r: number; alpha: number; targets: LoraModule[]; weight: number }> = [
	{ name: 'alpha', r: 4, alpha: 8, targets: ['q_proj', 'v_proj'], weight: 1 },
	{
		name: 'beta',
		r: 8,
		alpha: 16,
		targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
		weight: 0.5
	},
	{ name: 'gamma', r: 2, alpha: 6, targets: ['o_proj', 'gate_proj', 'down_proj'], weight: -0.7 }
];
const PROMPT = [12, 300, 45, 7, 260, 99, 3, 150];

describe.skipIf(skipReason !== null).each<TinyArchitecture>(['qwen2', 'llama'])(
	'%s decoder vs PyTorch reference',
	(architecture) => {
		let root: string;
		let modelDir: string;
		let runtime: ModelRuntime;
		const experts: ActiveExpert[] = [];
		const adapterDirs: string[] = [];

		beforeAll(async () => {
			root = await mkdtemp(path.join(os.tmpdir(), `runtime-ref-${architecture}-`));
			modelDir = path.join(root, 'model');
			const { config } = await writeTinyModel(modelDir, { architecture, seed: 7 });
			const folder = await readModelFolder(modelDir);
			runtime = await ModelRuntime.load(createNodeHost({ threads: 1 }), folder.config, folder.weightFiles, {
				precision: 'fp32'
			});
			for (const [i, spec] of ADAPTERS.entries()) {
				const dir = path.join(root, `${spec.name}-v1`);
				await writeRandomAdapter(dir, config, {
					r: spec.r,
					alpha: spec.alpha,
					targetModules: spec.targets,
					seed: 100 + i,
					name: spec.name
				});
				adapterDirs.push(dir);
				experts.push({ adapter: await readAdapter(folder.config, dir), weight: spec.weight });
			}
		});
		afterAll(async () => {
			if (root) await rm(root, { recursive: true, force: true });
		});

		async function onnxLogits(count: number): Promise<Float32Array> {
			await runtime.activate(experts.slice(0, count));
			return (await runtime.forward(PROMPT, runtime.emptyCache())).logits;
		}

		const referenceByCount = new Map<number, Float32Array>();
		function reference(count: number): Float32Array {
			if (!referenceByCount.has(count)) {
				const adapters = ADAPTERS.slice(0, count).map((spec, i) => ({ dir: adapterDirs[i], weight: spec.weight }));
				referenceByCount.set(count, referenceLogits({ model: modelDir, adapters, inputIds: PROMPT }));
			}
			return referenceByCount.get(count)!;
		}

		it.each([0, 1, 3])('agrees with %i adapter(s) active', async (count) => {
			const ours = await onnxLogits(count);
			const theirs = reference(count);
			const diff = maxAbsDiff(ours, theirs);
			console.log(`${architecture}, ${count} adapter(s): max |diff| = ${diff.toExponential(2)}`);
			expect(diff).toBeLessThanOrEqual(TOLERANCE);
			if (count > 0) expect(maxAbsDiff(ours, reference(0))).toBeGreaterThan(0.05);
		});

		it('incremental KV-cache decoding equals full recompute', async () => {
			await runtime.activate(experts);
			const full = reference(3);
			const vocab = runtime.config.vocabSize;
			let step = await runtime.forward(PROMPT.slice(0, 5), runtime.emptyCache());
			let worst = maxAbsDiff(step.logits, full.subarray(0, 5 * vocab));
			for (let position = 5; position < PROMPT.length; position++) {
				step = await runtime.forward([PROMPT[position]], step.cache);
				worst = Math.max(worst, maxAbsDiff(step.logits, full.subarray(position * vocab, (position + 1) * vocab)));
			}
			console.log(`${architecture}, incremental decode: max |diff| = ${worst.toExponential(2)}`);
			expect(step.cache.length).toBe(PROMPT.length);
			expect(worst).toBeLessThanOrEqual(TOLERANCE);
		});
	}
);
