// Checks the committed embedded base model folder static/models/expert-base-tiny: a valid Qwen2 config, a
// tokenizer that @huggingface/transformers loads and round-trips, every weight present in F16 with the right
// shape, and (when /usr/bin/python3 has torch) the held-out sample loss recorded in the card re-measured.
// Runtime: ~3 s without torch, ~15 s with it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '../../src/lib/experts/safetensors.ts';
import { BASE_SPECIAL_TOKENS } from '../../src/lib/model/base-model-config.ts';
import { parseModelConfig } from '../../src/lib/model/config.ts';
import { measureHeldoutLoss } from '../../src/trainer/base-worker-runs.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const modelDir = path.join(repoRoot, 'static/models/expert-base-tiny');
const sampleFile = path.join(repoRoot, 'tests/fixtures/base-model-heldout/stat.py.txt');
const readText = (name: string) => readFileSync(path.join(modelDir, name), 'utf8');

async function loadShippedTokenizer() {
	env.allowRemoteModels = false;
	env.allowLocalModels = true;
	env.localModelPath = path.join(repoRoot, 'static/models') + '/';
	return AutoTokenizer.from_pretrained('expert-base-tiny');
}

function expectedTensorShapes(config: ReturnType<typeof parseModelConfig>): Record<string, number[]> {
	const kvWidth = config.kvHeads * config.headDim;
	const shapes: Record<string, number[]> = {
		'model.embed_tokens.weight': [config.vocabSize, config.hiddenSize],
		'model.norm.weight': [config.hiddenSize]
	};
	for (let layer = 0; layer < config.layers; layer++) {
		const p = `model.layers.${layer}`;
		Object.assign(shapes, {
			[`${p}.input_layernorm.weight`]: [config.hiddenSize],
			[`${p}.post_attention_layernorm.weight`]: [config.hiddenSize],
			[`${p}.self_attn.q_proj.weight`]: [config.hiddenSize, config.hiddenSize],
			[`${p}.self_attn.q_proj.bias`]: [config.hiddenSize],
			[`${p}.self_attn.k_proj.weight`]: [kvWidth, config.hiddenSize],
			[`${p}.self_attn.k_proj.bias`]: [kvWidth],
			[`${p}.self_attn.v_proj.weight`]: [kvWidth, config.hiddenSize],
			[`${p}.self_attn.v_proj.bias`]: [kvWidth],
			[`${p}.self_attn.o_proj.weight`]: [config.hiddenSize, config.hiddenSize],
			[`${p}.mlp.gate_proj.weight`]: [config.intermediateSize, config.hiddenSize],
			[`${p}.mlp.up_proj.weight`]: [config.intermediateSize, config.hiddenSize],
			[`${p}.mlp.down_proj.weight`]: [config.hiddenSize, config.intermediateSize]
		});
	}
	return shapes;
}

describe('static/models/expert-base-tiny', () => {
	const config = parseModelConfig(readText('config.json'), 'config.json');
	const tempDir = mkdtempSync(path.join(tmpdir(), 'base-model-test-'));
	afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

	it('has a Qwen2 config with the documented shape and fp16 dtype', () => {
		const raw = JSON.parse(readText('config.json'));
		expect(raw.architectures).toEqual(['Qwen2ForCausalLM']);
		expect(raw.torch_dtype).toBe('float16');
		expect(config).toMatchObject({
			architecture: 'qwen2',
			hiddenSize: 256,
			layers: 6,
			heads: 8,
			kvHeads: 2,
			intermediateSize: 704,
			tieWordEmbeddings: true,
			attentionBias: true
		});
		const generation = JSON.parse(readText('generation_config.json'));
		expect(generation.eos_token_id).toContain(raw.eos_token_id);
	});

	it('ships a tokenizer that loads, round-trips text and code, and applies the ChatML template', async () => {
		const tokenizer = await loadShippedTokenizer();
		const tokenizerJson = JSON.parse(readText('tokenizer.json'));
		expect(Object.keys(tokenizerJson.model.vocab).length + tokenizerJson.added_tokens.length).toBe(config.vocabSize);
		expect(tokenizer.eos_token_id).toBe(config.eosTokenIds[0]);
		for (const text of [
			'naïve café, Straße — 日本語 🙂👍🏽',
			'def f(x):\n    return {"k": [1, 2.5e-3]}  # note\n',
			'fn main() { println!("{}", 42); }\r\n\t<div class="a">&amp;</div>'
		]) {
			const ids = tokenizer.encode(text, { add_special_tokens: false });
			expect(ids.every((id) => id < config.vocabSize - BASE_SPECIAL_TOKENS.length)).toBe(true);
			expect(tokenizer.decode(ids)).toBe(text);
		}
		const english = tokenizer.encode('The function returns the configuration of the server.', {
			add_special_tokens: false
		});
		expect(english.length).toBeLessThan(14); // merges were learned: far fewer tokens than the 54 bytes
		for (const [index, special] of BASE_SPECIAL_TOKENS.entries()) {
			expect(tokenizer.encode(special, { add_special_tokens: false })).toEqual([
				config.vocabSize - BASE_SPECIAL_TOKENS.length + index
			]);
		}
		const prompt = tokenizer.apply_chat_template(
			[
				{ role: 'system', content: 'Answer in JSON.' },
				{ role: 'user', content: 'Classify x.py' }
			],
			{ tokenize: false, add_generation_prompt: true }
		);
		expect(prompt).toBe(
			'<|im_start|>system\nAnswer in JSON.<|im_end|>\n<|im_start|>user\nClassify x.py<|im_end|>\n<|im_start|>assistant\n'
		);
	});

	it('stores every Qwen2 tensor with its shape in F16, and nothing else', () => {
		const weights = parseSafetensors(
			new Uint8Array(readFileSync(path.join(modelDir, 'model.safetensors'))),
			'model.safetensors'
		);
		const expected = expectedTensorShapes(config);
		expect([...weights.tensors.keys()].sort()).toEqual(Object.keys(expected).sort());
		for (const [name, view] of weights.tensors) {
			expect(view.dtype, name).toBe('F16');
			expect(view.shape, name).toEqual(expected[name]);
		}
	});

	const python = process.env.EXPERT_PYTHON ?? '/usr/bin/python3';
	const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
	if (!hasTorch) console.log(`skipping the held-out loss check: ${python} cannot import torch and numpy`);
	it.skipIf(!hasTorch)('reproduces the held-out sample loss recorded in the model card', async () => {
		const summary = JSON.parse(readText('build_summary.json'));
		const card = readText('MODEL_CARD.md');
		const cardLine = card.match(/held-out sample loss \(([^,]+), fp16 weights, seq (\d+)\) \| ([0-9.]+) \|/);
		expect(cardLine).not.toBeNull();
		expect(cardLine![1]).toBe(path.basename(sampleFile));
		expect(Number(cardLine![3])).toBeCloseTo(summary.sample.loss, 4);
		const tokenizer = await loadShippedTokenizer();
		const idsFile = path.join(tempDir, 'sample-ids.json');
		writeFileSync(
			idsFile,
			JSON.stringify(tokenizer.encode(readFileSync(sampleFile, 'utf8'), { add_special_tokens: false }))
		);
		const measured = await measureHeldoutLoss(modelDir, idsFile, {
			seqLen: Number(cardLine![2]),
			maxWindows: 96,
			threads: 1,
			python
		});
		expect(measured.tokens).toBe(summary.sample.tokens);
		expect(Math.abs(measured.loss - Number(cardLine![3]))).toBeLessThan(1e-3);
		expect(measured.loss).toBeLessThan(0.75 * Math.log(config.vocabSize)); // far better than a uniform guess
	});
});
