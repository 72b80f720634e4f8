// The trainer's input checks without a running service: job request schema, JSONL training records
// (line-numbered errors), and data-dir path confinement including symlink escape. Runtime: < 1 s.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfinedPath } from '../../src/trainer/data-dir.ts';
import { parseJobRequest } from '../../src/lib/trainer-api/job-request.ts';
import { parseTrainingRecords } from '../../src/trainer/training-records.ts';

const minimal = { name: 'my-expert', base_model: 'tiny', dataset: { content: '{}' } };

describe('job request schema', () => {
	it('fills defaults for a minimal request', () => {
		const request = parseJobRequest(minimal);
		expect(request).toMatchObject({
			method: 'sft',
			r: 16,
			target_modules: ['q_proj', 'v_proj'],
			epochs: 3,
			manifest: { version: '1.0.0' }
		});
	});

	it.each([
		[{ r: 0 }, 'r: must be > 0'],
		[{ r: -3 }, 'r: must be > 0'],
		[{ r: 2.5 }, 'r: must be an integer'],
		[{ target_modules: ['q_proj', 'attn'] }, 'target_modules: unknown target module "attn"'],
		[{ target_modules: [] }, 'target_modules: must name at least one module'],
		[{ method: 'ppo' }, 'method:'],
		[{ name: '../evil' }, 'name: must be'],
		[{ dataset: { url: 'http://x' } }, 'dataset: must be {"content"'],
		[{ manifest: { version: 'one' } }, 'manifest.version: must be semver'],
		[{ lr: 0 }, 'lr: must be > 0'],
		[{ distributed: { nproc_per_node: 0 } }, 'distributed.nproc_per_node: must be > 0'],
		[{ distributed: { nproc_per_node: 65 } }, 'distributed.nproc_per_node: must be at most 64'],
		[{ distributed: { nproc_per_node: 2, backend: 'mpi' } }, 'distributed.backend:'],
		[{ distributed: { nproc_per_node: 2, nnodes: 2 } }, "distributed.master_addr: the first node's address is needed"],
		[
			{ distributed: { nnodes: 2, node_rank: 2, master_addr: 'a', master_port: 1 } },
			'distributed.node_rank: must be below'
		],
		[{ distributed: { nproc_per_node: 2, hosts: 2 } }, 'distributed:'],
		[{ target_modules: ['q_proj', 'q_proj'] }, 'target_modules: must not repeat a module'],
		[{ manifest: { constraints: { requires: ['english-basic@>=one'] } } }, 'is not a semver range'],
		[{ init_adapter: '' }, 'init_adapter: is empty'],
		[{ surprise: true }, 'Unrecognized key: "surprise"']
	])('rejects %j with a field-named message', (overrides, message) => {
		expect(() => parseJobRequest({ ...minimal, ...overrides })).toThrow(message);
	});
});

describe('training records', () => {
	it('normalises instruction and chat records into conversations', async () => {
		const text = [
			'{"instruction": "Name the language", "input": "fn main() {}", "output": "Rust", "id": "x", "domain": "rust-code"}',
			'',
			'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}'
		].join('\n');
		const parsed = await parseTrainingRecords(text, 'sft');
		expect(parsed.records).toEqual([
			{
				messages: [
					{ role: 'user', content: 'Name the language\n\nfn main() {}' },
					{ role: 'assistant', content: 'Rust' }
				]
			},
			{
				messages: [
					{ role: 'user', content: 'hi' },
					{ role: 'assistant', content: 'hello' }
				]
			}
		]);
	});

	it('names the line of malformed JSON', async () => {
		await expect(
			parseTrainingRecords('{"instruction": "a", "output": "b"}\n{"instruction": oops}\n', 'sft', 'data.jsonl')
		).rejects.toThrow(/^data\.jsonl line 2: not valid JSON/);
	});

	it('rejects an empty dataset', async () => {
		await expect(parseTrainingRecords('\n  \n', 'sft', 'data.jsonl')).rejects.toThrow(
			'data.jsonl: the dataset is empty (no records)'
		);
	});

	it('rejects a DPO record without rejected', async () => {
		await expect(
			parseTrainingRecords(
				'{"prompt": "p", "chosen": "a", "rejected": "b"}\n{"prompt": "p", "chosen": "a"}',
				'dpo',
				'prefs.jsonl'
			)
		).rejects.toThrow('prefs.jsonl line 2: a DPO record needs prompt, chosen and rejected; `rejected` is missing');
	});

	it('rejects a chat without an assistant turn', async () => {
		await expect(parseTrainingRecords('{"messages": [{"role": "user", "content": "hi"}]}', 'sft')).rejects.toThrow(
			'line 1: the conversation has no assistant message'
		);
	});
});

describe('data dir confinement', () => {
	const root = mkdtempSync(path.join(tmpdir(), 'trainer-confine-'));
	const dataDir = path.join(root, 'data');
	mkdirSync(path.join(dataDir, 'datasets'), { recursive: true });
	writeFileSync(path.join(dataDir, 'datasets', 'ok.jsonl'), '{}');
	writeFileSync(path.join(root, 'secret.jsonl'), '{}');
	symlinkSync(path.join(root, 'secret.jsonl'), path.join(dataDir, 'datasets', 'link.jsonl'));
	afterAll(() => rmSync(root, { recursive: true, force: true }));

	it('resolves a file inside the data dir', () => {
		expect(resolveConfinedPath(dataDir, 'datasets/ok.jsonl', 'dataset.path')).toBe(
			path.join(dataDir, 'datasets', 'ok.jsonl')
		);
	});

	it.each([
		['datasets/../../secret.jsonl', 'must not contain ".."'],
		[path.join(root, 'secret.jsonl'), "is outside the trainer's data dir"],
		['datasets/link.jsonl', "leads outside the trainer's data dir (symlink)"],
		['datasets/missing.jsonl', 'does not exist']
	])('rejects %s', (requested, message) => {
		expect(() => resolveConfinedPath(dataDir, requested, 'dataset.path')).toThrow(message);
	});
});
