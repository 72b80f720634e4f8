// adapter-weights.ts, the runtime's last check before an adapter's weights reach the model: a real shipped expert
// loads; the same tensors at 3e38 are refused in one line (no package check on the way, as for a URL load).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../src/lib/model/config.ts';
import { parseSafetensors } from '../../src/lib/experts/safetensors.ts';
import { editedSafetensors } from '../fixtures/edit-safetensors.ts';
import { loadAdapterWeights } from '../../src/lib/runtime/adapter-weights.ts';
import { oneLineExpertError } from '../fixtures/expert-error.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const config = parseModelConfig(readFileSync(path.join(REPO, 'static/models/expert-base-tiny/config.json'), 'utf8'));
const dir = path.join(REPO, 'experts/english-basic-v1');
const source = () => ({
	manifest: JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')),
	adapterConfig: JSON.parse(readFileSync(path.join(dir, 'adapter_config.json'), 'utf8')),
	weights: parseSafetensors(new Uint8Array(readFileSync(path.join(dir, 'adapter_model.safetensors'))))
});

describe('loadAdapterWeights', () => {
	it('loads a shipped expert', () => {
		expect(loadAdapterWeights(config, source(), dir).pairs.size).toBeGreaterThan(0);
	});

	it('refuses weights that overflow the first matmul though they are finite', () => {
		const real = source();
		const bytes = new Uint8Array(readFileSync(path.join(dir, 'adapter_model.safetensors')));
		const weights = editedSafetensors(bytes, (tensors) => Object.values(tensors).forEach((t) => t.data.fill(3e38)));
		const huge = { ...real, weights: parseSafetensors(weights) };
		expect(oneLineExpertError(() => loadAdapterWeights(config, huge, dir))).toMatch(
			/english-basic-v1\/adapter_model\.safetensors: layer \d+ \w+_proj: lora_B·lora_A can reach [\d.]+e\+\d+ on a unit-RMS input .* over fp16's 65504$/
		);
	});
});
