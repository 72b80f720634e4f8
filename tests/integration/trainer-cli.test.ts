// `expert train` from the command line with its in-process trainer: trains, downloads and unpacks the
// package; bad flags and bad data end in one line on stderr with a non-zero exit. About 15 s.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sftJsonl } from '../fixtures/trainer-datasets.ts';
import { writeTinyModel } from '../fixtures/tiny-model.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
let root: string;
let modelDir: string;

function expert(...args: string[]) {
	return spawnSync(process.execPath, [path.join(REPO, 'src/cli/expert.js'), ...args], { encoding: 'utf8', cwd: root });
}

beforeAll(async () => {
	root = mkdtempSync(path.join(tmpdir(), 'trainer-cli-'));
	({ dir: modelDir } = await writeTinyModel(path.join(root, 'tiny-qwen2'), { hiddenSize: 112, intermediateSize: 192 }));
	writeFileSync(path.join(root, 'good.jsonl'), sftJsonl(6));
	writeFileSync(path.join(root, 'bad.jsonl'), `${sftJsonl(1)}\nnot json\n`);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('expert train', () => {
	it('trains with a local in-process trainer and writes the package, its manifest fields from --manifest', () => {
		const manifest = {
			name: 'cli-expert',
			version: '1.2.0',
			description: 'trained by the CLI test',
			capabilities: ['test:cli'],
			constraints: { load_order: 4, requires: [] },
			routing: { keywords: ['cli', '.cli'], priority: 0.4 }
		};
		writeFileSync(path.join(root, 'seed-manifest.json'), JSON.stringify(manifest));
		const result = expert(
			// --method lora is the seed's spelling of LoRA SFT.
			'train',
			'--manifest',
			'seed-manifest.json',
			'--method',
			'lora',
			'--dataset',
			'good.jsonl',
			'--base-model',
			modelDir,
			'--r',
			'4',
			'--target-modules',
			'q_proj,v_proj',
			'--epochs',
			'2',
			'--lr',
			'0.01',
			'--max-seq-len',
			'64',
			'--device',
			'cpu',
			'--no-gradient-checkpointing',
			'--data-dir',
			path.join(root, 'trainer-data'),
			'--json'
		);
		expect(result.status, result.stderr).toBe(0);
		// stderr is a pipe here, not a terminal: progress comes as plain lines, first and last step included.
		const progress = result.stderr.trim().split('\n');
		expect(progress[0]).toMatch(/^training: \d+ steps on cpu$/);
		const total = Number(/^training: (\d+) steps/.exec(progress[0])?.[1]);
		expect(progress).toContainEqual(
			expect.stringMatching(/^training: step 1\/\d+, loss [\d.]+, [\d.]+ tok\/s, eta [\d.]+ s$/)
		);
		expect(progress.at(-1)).toMatch(new RegExp(`^training: step ${total}/${total}, loss `));
		const summary = JSON.parse(result.stdout);
		expect(summary.output).toBe(path.join('experts', 'cli-expert-v1'));
		expect(readdirSync(path.join(root, summary.output)).sort()).toEqual([
			'adapter_config.json',
			'adapter_model.safetensors',
			'manifest.json',
			'metadata.json'
		]);
		expect(summary.metrics).toEqual(
			expect.objectContaining({ device: 'cpu', first_loss: expect.any(Number), final_loss: expect.any(Number) })
		);
		expect(JSON.parse(readFileSync(path.join(root, summary.output, 'manifest.json'), 'utf8'))).toMatchObject(manifest);
		const metadata = JSON.parse(readFileSync(path.join(root, summary.output, 'metadata.json'), 'utf8'));
		expect(metadata.hyperparameters).toMatchObject({ r: 4, epochs: 2, device: 'cpu', gradient_checkpointing: false });
		expect(metadata.method ?? metadata.hyperparameters.method).toBe('sft');
	});

	it('needs --name or --manifest', () => {
		const result = expert('train', '--dataset', 'good.jsonl', '--base-model', modelDir);
		expect(result.status).toBe(2); // a usage mistake
		expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('give --name (or --manifest')]);
	});

	it('reports a bad dataset line in one line and exits 1', () => {
		const result = expert(
			...['train', '--name', 'x', '--dataset', 'bad.jsonl', '--base-model', modelDir],
			...['--data-dir', path.join(root, 'trainer-data')]
		);
		expect(result.status).toBe(1);
		expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('bad.jsonl line 2: not valid JSON')]);
	});

	it('rejects a non-positive rank as a usage error', () => {
		const result = expert('train', '--name', 'x', '--dataset', 'good.jsonl', '--base-model', modelDir, '--r', '0');
		expect(result.status).toBe(2);
		expect(result.stderr.split('\n')[0]).toContain("'--r <n>' argument '0' is invalid. expected an integer >= 1");
	});
});
