// The language head end to end on the embedded base: features written by the runtime's own code, the PyTorch
// trainer (src/trainer/worker/language_head.py) fits a head on two languages, the package it writes passes the
// adapter checks (head tensors as modules_to_save, no LoRA factors), and the loaded head names fresh snippets.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLanguageFeatures } from '../../src/lib/classify/language-feature-files-fs.ts';
import { languageFeatures } from '../../src/lib/classify/language-features.ts';
import { LanguageHead } from '../../src/lib/classify/language-head.ts';
import { parseExpertPackage } from '../../src/lib/experts/package.ts';
import { loadBaseModel } from '../../src/lib/runtime/load-fs.ts';
import { TORCH_PYTHON, torchUnavailableReason } from '../fixtures/reference-forward.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const skip = torchUnavailableReason();
if (skip) console.log(`language head training: skipped (${skip})`);
const work = mkdtempSync(path.join(tmpdir(), 'language-head-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const python = (i: number) =>
	`def scale_${i}(values, factor=${i}):\n    """Multiply each value."""\n    return [v * factor for v in values if v is not None]\n\nif __name__ == "__main__":\n    print(scale_${i}([1, 2, 3]))\n`;
const c = (i: number) =>
	`#include <stdio.h>\n\nstatic int scale_${i}(int value)\n{\n    return value * ${i};\n}\n\nint main(void)\n{\n    printf("%d\\n", scale_${i}(3));\n    return 0;\n}\n`;

describe.skipIf(skip !== null)('language head training', () => {
	it('trains on runtime features, writes a valid package and names fresh snippets', async () => {
		const { runtime, tokenizer } = await loadBaseModel(path.join(REPO, 'static/models/expert-base-tiny'), {
			precision: 'fp32',
			threads: 1
		});
		const sources = Array.from({ length: 24 }, (_, i) => [
			{ text: python(i), language: 'Python', source: `py/${i}.py` },
			{ text: c(i), language: 'C', source: `c/${i}.c` }
		]).flat();
		const features = path.join(work, 'features');
		expect((await writeLanguageFeatures(runtime, tokenizer, sources, features, { experts: [] })).rows).toBe(48);
		const out = path.join(work, 'package');
		const run = spawnSync(
			TORCH_PYTHON,
			[
				...[path.join(REPO, 'src/trainer/worker/language_head.py'), '--features', features, '--output', out],
				...['--epochs', '6', '--batch-size', '16', '--validation-share', '0.2', '--threads', '1']
			],
			{ encoding: 'utf8' }
		);
		expect(run.status, run.stderr).toBe(0);
		const lines = run.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as { epoch?: number; loss?: number; done?: boolean });
		expect(lines.at(-1)?.done).toBe(true);
		const losses = lines.filter((l) => l.epoch).map((l) => l.loss!);
		expect(losses.at(-1)!).toBeLessThan(losses[0]);

		const manifest = JSON.stringify({
			name: 'language-id',
			version: '1.0.0',
			description: 'test',
			capabilities: [],
			constraints: { load_order: 1, requires: [] },
			routing: { keywords: [], priority: 0.5 }
		});
		const adapterConfig = readFileSync(path.join(out, 'adapter_config.json'), 'utf8');
		const adapterWeights = new Uint8Array(readFileSync(path.join(out, 'adapter_model.safetensors')));
		const parsed = parseExpertPackage({ manifest, adapterConfig, adapterWeights }, out);
		expect(parsed.adapterConfig?.modules_to_save).toEqual(['language_head']);
		expect(parsed.adapterConfig?.target_modules).toEqual([]);

		const head = LanguageHead.fromFiles(readFileSync(path.join(out, 'head_config.json'), 'utf8'), adapterWeights, out);
		expect(head.languages).toEqual(['C', 'Python']);
		const fresh = [python(101), c(202)];
		const rankings = (
			await languageFeatures(
				runtime,
				fresh.map((text) => tokenizer.encode(text)),
				head.config.shape
			)
		).map((f) => head.rank(f));
		expect(rankings.map((r) => r.ranked[0].language)).toEqual(['Python', 'C']);
		for (const ranking of rankings) expect(ranking.ranked[0].probability).toBeGreaterThan(0.5);
	});
});
