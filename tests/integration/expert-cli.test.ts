// `expert validate / resolve / route` and bench's option checks as a user runs them (spawned `node
// src/cli/expert.js`): the seed plan as JSON, and bad input (malformed JSON, wrong types, bad semver, broken
// safetensors) giving one-line errors or listed problems, a non-zero exit, no stack trace. ~10 s (parallel spawns).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterTensorName } from '../../src/lib/experts/adapter.ts';
import { serializeSafetensors } from '../../src/lib/experts/safetensors.ts';
import { expectOneLineFailure, runExpert } from '../fixtures/expert-cli.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'expert-cli-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const expert = (...args: string[]) => runExpert(args, { cwd: repoRoot });

const manifest = {
	name: 'broken',
	version: '1.0.0',
	description: 'x',
	capabilities: [],
	constraints: { load_order: 1, requires: [] },
	routing: { keywords: ['x'], priority: 0.5 }
};
const adapterConfig = {
	peft_type: 'LORA',
	r: 2,
	lora_alpha: 4,
	lora_dropout: 0,
	target_modules: ['q_proj'],
	base_model_name_or_path: 'tiny'
};

/** A package folder with the given files (objects are written as JSON). */
function writePackage(name: string, files: Record<string, unknown>): string {
	const dir = path.join(work, name);
	mkdirSync(dir, { recursive: true });
	for (const [file, content] of Object.entries(files)) {
		writeFileSync(
			path.join(dir, file),
			typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content)
		);
	}
	return dir;
}

/** safetensors bytes with a hand-written header (for files our writer refuses to produce). */
function rawSafetensors(header: unknown, dataBytes: number, declaredLength?: number): Uint8Array {
	const json = new TextEncoder().encode(JSON.stringify(header));
	const out = new Uint8Array(8 + json.length + dataBytes);
	new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
	out.set(json, 8);
	return out;
}

describe('expert CLI', () => {
	it('resolves document-classifier, validates the seed experts, and routes a Python file', async () => {
		const [resolved, validated, routed] = await Promise.all([
			expert('resolve', 'document-classifier', '--json'),
			expert(
				'validate',
				...[
					...['document-classifier-v1', 'english-basic-v1', 'json-parser-v2'],
					...['neo4j-cypher-v1', 'python-code-v1', 'rust-code-v1']
				].map((d) => `experts/${d}`),
				'--json'
			),
			expert('route', '--file', 'tests/fixtures/corpus-sample/linguist/flask-view.py', '--json')
		]);
		expect(resolved.code, resolved.stderr).toBe(0);
		const { plan } = JSON.parse(resolved.stdout);
		expect(plan.map((e: { name: string; load_order: number }) => [e.name, e.load_order])).toEqual([
			['json-parser', 1],
			['english-basic', 3],
			['neo4j-cypher', 6],
			['document-classifier', 9]
		]);
		for (const entry of plan) {
			expect(entry.version).toMatch(/^\d+\.\d+\.\d+$/);
			expect(entry.reason).toMatch(/^(requested as|required by) /);
		}
		expect(validated.code, validated.stderr).toBe(0);
		const report = JSON.parse(validated.stdout);
		expect(report.valid).toBe(true);
		expect(report.packages.map((p: { status: string }) => p.status)).toEqual(Array(6).fill('valid')); // the six shipped experts carry trained weights
		expect(routed.code, routed.stderr).toBe(0);
		const route = JSON.parse(routed.stdout);
		expect(route.ranked[0].name).toBe('python-code');
		expect(route.ranked[0].matched.map((m: { keyword: string }) => m.keyword)).toContain('.py');
		expect(route.plan.map((e: { name: string }) => e.name)).toContain('english-basic');
	});

	it('gives one-line errors for bad requests and missing files, and a warning for a bad registry entry', async () => {
		const badRegistry = path.join(work, 'registry');
		cpSync(path.join(repoRoot, 'experts/json-parser-v2'), path.join(badRegistry, 'json-parser-v2'), {
			recursive: true
		});
		writePackage('registry/wrong-types', {
			'manifest.json': { ...manifest, constraints: { load_order: 'first', requires: 'english-basic' } }
		});
		const [badSemver, missing, noFile, registry, usage, benchExperts] = await Promise.all([
			expert('resolve', 'json-parser@>>2'),
			expert('resolve', 'document-classifier', 'no-such-expert@^1'),
			expert('route', '--file', path.join(work, 'nope.py')),
			expert('resolve', 'json-parser', '--experts-dir', badRegistry),
			expert('route'),
			expert('bench', '--suite', 'runtime', '--experts', 'experts/english-basic-v1', '--out', path.join(work, 'bench'))
		]);
		expectOneLineFailure(badSemver, /^expert: bad request "json-parser@>>2": ">>2" is not a semver range$/);
		expectOneLineFailure(
			missing,
			/^expert: missing dependency: no expert named no-such-expert in the registry, needed as \^1 \(asked by the request\)$/
		);
		expectOneLineFailure(noFile, /nope\.py: cannot open \(ENOENT\)$/);
		expectOneLineFailure(
			benchExperts,
			/^expert: --experts takes exactly 5 expert package folders and needs --model \(got 1, no --model\)$/,
			2
		);
		expect(existsSync(path.join(work, 'bench'))).toBe(false);
		// A package whose manifest does not parse is left out with a warning; the rest of the registry still resolves.
		expect(registry.code, registry.stderr).toBe(0);
		expect(registry.stderr.trim()).toMatch(
			/^warning: expert package .*wrong-types left out: .*wrong-types\/manifest\.json: constraints\.load_order: .*expected number.*; constraints\.requires: .*expected array/
		);
		expect(registry.stdout).toContain('json-parser@2.0.0');
		expect(usage.code).toBe(2); // commander usage error, still one line plus the help hint
		expect(usage.stderr).toMatch(/required option '--file <path>' not specified/);
		expect(usage.stderr).not.toMatch(/\n\s+at /);
	});

	it('validate lists every problem of broken packages and exits 1', async () => {
		const tensorHeader = (offsets: [number, number]) => ({
			[adapterTensorName(0, 'q_proj', 'A')]: { dtype: 'F32', shape: [2, 2], data_offsets: offsets }
		});
		const goodWeights = serializeSafetensors({
			[adapterTensorName(0, 'q_proj', 'A')]: { dtype: 'F32', shape: [2, 8], data: new Float32Array(16) },
			[adapterTensorName(0, 'q_proj', 'B')]: { dtype: 'F32', shape: [8, 3], data: new Float32Array(24) }
		});
		const dirs = [
			writePackage('malformed', { 'manifest.json': '{"name": "broken",' }),
			writePackage('bad-semver', {
				'manifest.json': { ...manifest, version: '1.0', constraints: { load_order: 1, requires: ['x@>=one'] } }
			}),
			writePackage('truncated-header', {
				'manifest.json': manifest,
				'adapter_config.json': adapterConfig,
				'adapter_model.safetensors': new Uint8Array([16, 0, 0])
			}),
			writePackage('header-too-long', {
				'manifest.json': manifest,
				'adapter_config.json': adapterConfig,
				'adapter_model.safetensors': rawSafetensors(tensorHeader([0, 16]), 16, 4096)
			}),
			writePackage('offsets-out-of-range', {
				'manifest.json': manifest,
				'adapter_config.json': adapterConfig,
				'adapter_model.safetensors': rawSafetensors(tensorHeader([0, 64]), 16)
			}),
			writePackage('shape-mismatch', {
				'manifest.json': manifest,
				'adapter_config.json': adapterConfig,
				'adapter_model.safetensors': goodWeights
			})
		];
		const [human, json] = await Promise.all([
			expert('validate', ...dirs, 'experts/rust-code-v1', writePackage('manifest-only', { 'manifest.json': manifest })),
			expert('validate', ...dirs, '--json')
		]);
		expect(human.code).toBe(1);
		expect(human.stderr).not.toMatch(/\n\s+at /);
		expect(human.stdout).toMatch(/ok {3}experts\/rust-code-v1 {2}rust-code@1\.1\.0 {2}valid, 48 tensors/);
		expect(human.stdout).toMatch(/ok {3}\S+\/manifest-only {2}broken@1\.0\.0 {2}manifest only/);
		for (const pattern of [
			/malformed\/manifest\.json: malformed JSON/,
			/bad-semver\/manifest\.json: version: must be a semver version/,
			/bad-semver\/manifest\.json: constraints\.requires\[0\]: "x@>=one": ">=one" is not a semver range/,
			/truncated-header\/adapter_model\.safetensors: file is 3 bytes, too short/,
			/header-too-long\/adapter_model\.safetensors: header length 4096 is larger than the file/,
			/offsets-out-of-range\/adapter_model\.safetensors: tensor .*: data_offsets \[0, 64\] out of range/,
			/shape-mismatch\/adapter_model\.safetensors: layer 0 q_proj: lora_B \[8, 3\] has rank 3, adapter_config r is 2/,
			/shape-mismatch\/adapter_model\.safetensors: layer 0 q_proj: inner dims differ/,
			/^6 of 8 packages invalid \(8 problems\)$/m
		]) {
			expect(human.stderr).toMatch(pattern);
		}
		expect(json.code).toBe(1);
		const report = JSON.parse(json.stdout);
		expect(report.valid).toBe(false);
		expect(report.packages.map((p: { status: string }) => p.status)).toEqual(Array(6).fill('invalid'));
	});
});
