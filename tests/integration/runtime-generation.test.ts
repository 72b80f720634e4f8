// Generation on the tiny Qwen2 fixture through onnxruntime-node: greedy equals a hand-written argmax loop,
// seeded sampling is reproducible, stop strings / max tokens / streaming / cancellation behave, JSON
// constrained output parses and matches its enums, and fp16 / q4 stay within documented tolerances of fp32. About 6 s.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFolder, type ModelFolder } from '../../src/lib/model/model-folder.ts';
import { dequantizeQ4, quantizeQ4 } from '../../src/lib/model/quantize.ts';
import { loadBaseWeights } from '../../src/lib/model/weights.ts';
import { buildDecoderGraph } from '../../src/lib/model/decoder-graph.ts';
import { DecoderSession } from '../../src/lib/runtime/decoder-session.ts';
import { generate } from '../../src/lib/runtime/generate.ts';
import { createNodeHost } from '../../src/lib/runtime/host-fs.ts';
import { cypherGrammar } from '../../src/lib/constrain/cypher-grammar.ts';
import { jsonSchemaGrammar } from '../../src/lib/constrain/json-schema-grammar.ts';
import { cypherSyntaxErrors } from '../../src/lib/datasets/cypher-syntax.ts';
import { perplexity } from '../../src/lib/eval/perplexity.ts';
import { loadBaseModel } from '../../src/lib/runtime/load-fs.ts';
import { ModelRuntime, type LoadedModel } from '../../src/lib/runtime/model-runtime.ts';
import { argmax } from '../../src/lib/runtime/sampling.ts';
import { maxAbsDiff } from '../fixtures/reference-forward.ts';
import { writeTinyModel } from '../fixtures/tiny-model.ts';

// Documented q4 tolerance on the random fixture (Gaussian weights are the worst case for 4-bit blocks):
// measured max |Δlogit| ≈ 1.37 (qwen2) / 1.30 (llama) with logits up to ≈ 6, cosine ≈ 0.97 / 0.96.
const Q4_MAX_ABS = 2.0;
const Q4_MIN_COSINE = 0.95;
const FP16_MAX_ABS = 1e-2;
const host = createNodeHost({ threads: 1 });

let root: string;
let model: LoadedModel;
let folder: ModelFolder;
let prompt: number[];

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'runtime-gen-'));
	await writeTinyModel(path.join(root, 'qwen'), { architecture: 'qwen2', seed: 3 });
	await writeTinyModel(path.join(root, 'llama'), { architecture: 'llama', seed: 4 });
	folder = await readModelFolder(path.join(root, 'qwen'));
	model = await loadBaseModel(path.join(root, 'qwen'), { precision: 'fp32', threads: 1 });
	prompt = model.tokenizer.encode(model.tokenizer.chatPrompt([{ role: 'user', content: 'Hello world' }]));
});
afterAll(async () => {
	if (root) await rm(root, { recursive: true, force: true });
});

describe('generate', () => {
	it('greedy decoding equals an argmax loop over full recomputation', async () => {
		const result = await generate(model.runtime, model.tokenizer.decode, prompt, { maxTokens: 8, eosTokenIds: [] });
		const ids = [...prompt];
		const expected: number[] = [];
		for (let i = 0; i < 8; i++) {
			const { logits } = await model.runtime.forward(ids, model.runtime.emptyCache());
			const next = argmax(logits.subarray(logits.length - model.runtime.config.vocabSize));
			expected.push(next);
			ids.push(next);
		}
		expect(result.tokenIds).toEqual(expected);
		expect(result.finishReason).toBe('length');
		expect(result.text).toBe(model.tokenizer.decode(expected));
	});

	it('samples reproducibly for a seed and differently for another', async () => {
		const run = (seed: number) =>
			generate(model.runtime, model.tokenizer.decode, prompt, {
				maxTokens: 12,
				temperature: 1.2,
				topK: 50,
				topP: 0.95,
				seed,
				eosTokenIds: []
			});
		const [a, b, c] = await Promise.all([run(1), run(1), run(2)]);
		expect(a.tokenIds).toEqual(b.tokenIds);
		expect(a.tokenIds).not.toEqual(c.tokenIds);
	});

	it('streams exactly the final text and stops at a stop string', async () => {
		const full = await generate(model.runtime, model.tokenizer.decode, prompt, {
			maxTokens: 12,
			temperature: 1,
			seed: 5,
			eosTokenIds: []
		});
		const stop = full.text.slice(3, 5);
		expect(stop.length).toBe(2);
		const chunks: string[] = [];
		const stopped = await generate(model.runtime, model.tokenizer.decode, prompt, {
			maxTokens: 12,
			temperature: 1,
			seed: 5,
			eosTokenIds: [],
			stop: [stop],
			onText: (t) => chunks.push(t)
		});
		expect(stopped.finishReason).toBe('stop');
		expect(stopped.text).toBe(full.text.slice(0, full.text.indexOf(stop)));
		expect(chunks.join('')).toBe(stopped.text);
		expect(chunks.join('')).not.toContain(stop);
	});

	it('stops at end-of-sequence and when aborted', async () => {
		const first = await generate(model.runtime, model.tokenizer.decode, prompt, { maxTokens: 1, eosTokenIds: [] });
		const eos = await generate(model.runtime, model.tokenizer.decode, prompt, {
			maxTokens: 5,
			eosTokenIds: first.tokenIds
		});
		expect(eos.finishReason).toBe('eos');
		expect(eos.tokenIds).toEqual([]);
		const controller = new AbortController();
		const aborted = await generate(model.runtime, model.tokenizer.decode, prompt, {
			maxTokens: 50,
			eosTokenIds: [],
			signal: controller.signal,
			onText: () => controller.abort()
		});
		expect(aborted.finishReason).toBe('aborted');
		expect(aborted.tokenIds.length).toBeLessThan(50);
	});

	it('produces schema-valid JSON under a constraint', async () => {
		const schema = {
			type: 'object',
			properties: {
				type: { enum: ['source-code', 'markup', 'config', 'data', 'documentation', 'other'] },
				language: { enum: ['Python', 'JavaScript', 'YAML', 'none'] },
				technologies: { type: 'array', items: { enum: ['flask', 'django', 'docker', 'react'] }, maxItems: 3 }
			},
			required: ['type', 'language', 'technologies']
		};
		const factory = jsonSchemaGrammar(schema, model.tokenizer.tokenTexts());
		for (const seed of [1, 2, 3]) {
			const result = await generate(model.runtime, model.tokenizer.decode, prompt, {
				maxTokens: 80,
				temperature: 1,
				seed,
				constraint: factory.start()
			});
			expect(result.finishReason).toBe('constraint');
			const value = JSON.parse(result.text);
			expect(schema.properties.type.enum).toContain(value.type);
			expect(schema.properties.language.enum).toContain(value.language);
			expect(value.technologies.every((t: string) => schema.properties.technologies.items.enum.includes(t))).toBe(true);
		}
	});

	it('finishes a Cypher query within a tight token budget (sampled, 3 seeds)', async () => {
		const factory = cypherGrammar(model.tokenizer.tokenTexts());
		for (const seed of [1, 2, 3]) {
			const maxTokens = factory.minimumTokens + 6;
			const result = await generate(model.runtime, model.tokenizer.decode, prompt, {
				maxTokens,
				temperature: 1,
				seed,
				constraint: factory.start()
			});
			expect(result.tokenIds.length).toBeLessThanOrEqual(maxTokens);
			expect(factory.match(result.text), result.text).toBe('complete');
			expect(cypherSyntaxErrors(result.text), result.text).toEqual([]);
		}
	});
});

describe('weight precisions', () => {
	const ids = [12, 300, 45, 7, 260, 99, 3, 150];

	async function logitsAt(precision: 'fp32' | 'fp16' | 'q4', arch: 'qwen' | 'llama'): Promise<Float32Array> {
		const f = arch === 'qwen' ? folder : await readModelFolder(path.join(root, 'llama'));
		const runtime = await ModelRuntime.load(host, f.config, f.weightFiles, { precision });
		return (await runtime.forward(ids, runtime.emptyCache())).logits;
	}

	function cosine(a: Float32Array, b: Float32Array): number {
		let dot = 0;
		let na = 0;
		let nb = 0;
		for (let i = 0; i < a.length; i++) {
			dot += a[i] * b[i];
			na += a[i] * a[i];
			nb += b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

	it.each(['qwen', 'llama'] as const)('fp16 and q4 stay within the documented tolerance of fp32 (%s)', async (arch) => {
		const fp32 = await logitsAt('fp32', arch);
		const fp16 = await logitsAt('fp16', arch);
		const q4 = await logitsAt('q4', arch);
		console.log(
			`${arch}: fp16 max |Δ| ${maxAbsDiff(fp16, fp32).toExponential(2)}; q4 max |Δ| ${maxAbsDiff(q4, fp32).toFixed(3)}, cosine ${cosine(q4, fp32).toFixed(4)}`
		);
		expect(maxAbsDiff(fp16, fp32)).toBeLessThanOrEqual(FP16_MAX_ABS);
		expect(maxAbsDiff(fp16, fp32)).toBeGreaterThan(0);
		expect(maxAbsDiff(q4, fp32)).toBeLessThanOrEqual(Q4_MAX_ABS);
		expect(cosine(q4, fp32)).toBeGreaterThanOrEqual(Q4_MIN_COSINE);
	});

	it('the q4 graph computes exactly with the dequantized weights (MatMulNBits layout)', async () => {
		const llama = await readModelFolder(path.join(root, 'llama'));
		const weights = loadBaseWeights(llama.config, llama.weightFiles);
		const q4 = await DecoderSession.create(
			host,
			llama.config,
			buildDecoderGraph(llama.config, weights, { precision: 'q4', lora: false })
		);
		for (const [name, w] of weights) {
			if (w.shape.length === 2 && name !== 'model.embed_tokens.weight')
				w.data = dequantizeQ4(quantizeQ4(w.data, w.shape[0], w.shape[1]));
		}
		const dequantized = await DecoderSession.create(
			host,
			llama.config,
			buildDecoderGraph(llama.config, weights, { precision: 'fp32', lora: false })
		);
		const a = (await q4.forward(ids, q4.emptyCache(), new Map())).logits;
		const b = (await dequantized.forward(ids, dequantized.emptyCache(), new Map())).logits;
		expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-4);
	});
});

describe('perplexity', () => {
	it('equals exp of the mean next-token NLL computed from one forward per prefix', async () => {
		const text = 'The sea is calm tonight and the tide is full.';
		const ids = model.tokenizer.encode(text);
		const vocab = model.runtime.config.vocabSize;
		let nll = 0;
		for (let end = 1; end < ids.length; end++) {
			const { logits } = await model.runtime.forward(ids.slice(0, end), model.runtime.emptyCache());
			const row = Array.from(logits.subarray(logits.length - vocab));
			const max = Math.max(...row);
			nll += max + Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0)) - row[ids[end]];
		}
		const measured = await perplexity(model.runtime, model.tokenizer, [text, 'x']);
		expect(measured.tokens).toBe(ids.length - 1);
		expect(measured.perplexity).toBeCloseTo(Math.exp(nll / (ids.length - 1)), 3);
	});
});
