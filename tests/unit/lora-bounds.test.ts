// lora-bounds.ts: the fp16 overflow bound of a LoRA pair — every shipped expert's pairs are far under it; weights of
// 3e38 (finite, so the NaN/∞ check passes them) are over it, with the figures in the one-line message.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FP16_MAX, loraOverflowProblem } from '../../src/lib/experts/lora-bounds.ts';
import { parseSafetensors, tensorToFloat32 } from '../../src/lib/experts/safetensors.ts';

const EXPERTS = path.resolve(import.meta.dirname, '../../experts');

describe('loraOverflowProblem', () => {
	it('passes every pair of the shipped experts', () => {
		let pairs = 0;
		for (const folder of readdirSync(EXPERTS).filter((name) => /-v\d+$/.test(name))) {
			const config = JSON.parse(readFileSync(path.join(EXPERTS, folder, 'adapter_config.json'), 'utf8')) as {
				r: number;
				lora_alpha: number;
			};
			const tensors = parseSafetensors(
				new Uint8Array(readFileSync(path.join(EXPERTS, folder, 'adapter_model.safetensors')))
			).tensors;
			for (const [name, view] of tensors) {
				if (!name.endsWith('lora_A.weight')) continue;
				const b = tensors.get(name.replace('lora_A', 'lora_B'))!;
				expect(
					loraOverflowProblem(
						name,
						tensorToFloat32(view),
						tensorToFloat32(b),
						{ inFeatures: view.shape[1], rank: config.r },
						config.lora_alpha
					),
					`${folder} ${name}`
				).toBeNull();
				pairs++;
			}
		}
		expect(pairs).toBeGreaterThan(100);
	});

	it('refuses weights of 3e38, and a pair just over the bound, in one line', () => {
		const huge = (n: number) => new Float32Array(n).fill(3e38);
		expect(loraOverflowProblem('layer 0 q_proj', huge(2 * 256), huge(256 * 2), { inFeatures: 256, rank: 2 }, 4)).toBe(
			"layer 0 q_proj: lora_B·lora_A can reach 1.5e+81 on a unit-RMS input ((alpha/r) 2.0 · ‖A‖ 6.8e+39 · ‖B‖ 6.8e+39 · √in 16), over fp16's 65504"
		);
		// ‖A‖ = ‖B‖ = 1, √in = 16, alpha/r = 1: the bound is 16 × the product of the two single weights' sizes.
		const one = (value: number) => Float32Array.of(value);
		expect(loraOverflowProblem('p', one(1), one(FP16_MAX / 16), { inFeatures: 256, rank: 1 }, 1)).toBeNull();
		expect(loraOverflowProblem('p', one(1), one(FP16_MAX / 16 + 1), { inFeatures: 256, rank: 1 }, 1)).toMatch(
			/^p: .* over fp16's 65504$/
		);
	});
});
