// Expert packages: adapter/tensor consistency checks, in-memory parsing, atomic write + read back on a
// real temp folder, `validate` collecting every problem, and scanning the shipped experts/ folder.
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterTensorName, type AdapterConfig, type LoraModule } from '../../src/lib/experts/adapter.ts';
import { findAdapterProblems } from '../../src/lib/experts/adapter-check.ts';
import type { ExpertManifest } from '../../src/lib/experts/manifest.ts';
import { parseExpertPackage } from '../../src/lib/experts/package.ts';
import {
	readExpertPackage,
	readPackageManifests,
	readRegistry,
	scanExpertDirs,
	writeExpertPackage
} from '../../src/lib/experts/package-fs.ts';
import { validateExpertDir } from '../../src/lib/classify/package-validate-fs.ts';
import {
	parseSafetensors,
	serializeSafetensors,
	tensorToFloat32,
	type TensorToWrite
} from '../../src/lib/experts/safetensors.ts';

const HIDDEN = 8;
const KV = 4;
const RANK = 2;
const OUT: Record<string, number> = { q_proj: HIDDEN, v_proj: KV };

const manifest: ExpertManifest = {
	name: 'tiny-expert',
	version: '1.2.0',
	description: 'test expert',
	capabilities: ['test'],
	constraints: { load_order: 2, requires: [] },
	routing: { keywords: ['tiny'], priority: 0.5 },
	base_model: { name: 'tiny-base', hidden_size: HIDDEN, num_hidden_layers: 2 }
};
const adapterConfig: AdapterConfig = {
	peft_type: 'LORA',
	r: RANK,
	lora_alpha: 4,
	lora_dropout: 0,
	target_modules: ['q_proj', 'v_proj'],
	base_model_name_or_path: 'tiny-base'
};

function factor(shape: number[], seed: number): TensorToWrite {
	const data = new Float32Array(shape[0] * shape[1]).map((_, i) => Math.sin(seed * 31 + i));
	return { dtype: 'F32', shape, data };
}

/** A consistent adapter: layers 0-1, q_proj (8 -> 8) and v_proj (8 -> 4), rank 2. */
function goodTensors(): Record<string, TensorToWrite> {
	const tensors: Record<string, TensorToWrite> = {};
	for (const layer of [0, 1]) {
		for (const module of ['q_proj', 'v_proj'] as LoraModule[]) {
			tensors[adapterTensorName(layer, module, 'A')] = factor([RANK, HIDDEN], layer * 10 + 1);
			tensors[adapterTensorName(layer, module, 'B')] = factor([OUT[module], RANK], layer * 10 + 2);
		}
	}
	return tensors;
}

const problemsOf = (tensors: Record<string, TensorToWrite>, config = adapterConfig, base = manifest.base_model) =>
	findAdapterProblems(config, parseSafetensors(serializeSafetensors(tensors)), base);

const root = mkdtempSync(path.join(tmpdir(), 'expert-package-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('adapter consistency', () => {
	it('finds nothing wrong with a consistent adapter', () => {
		expect(problemsOf(goodTensors())).toEqual([]);
	});

	it('reports each kind of inconsistency', () => {
		const q0A = adapterTensorName(0, 'q_proj', 'A');
		const cases: Array<[string, (t: Record<string, TensorToWrite>) => void, RegExp]> = [
			['missing B', (t) => delete t[adapterTensorName(1, 'v_proj', 'B')], /^layer 1 v_proj: has lora_A but no lora_B$/],
			[
				'rank differs from r',
				(t) => {
					t[q0A] = factor([3, HIDDEN], 5);
					t[adapterTensorName(0, 'q_proj', 'B')] = factor([HIDDEN, 3], 6);
				},
				/layer 0 q_proj: lora_A \[3, 8\] has rank 3, adapter_config r is 2/
			],
			[
				'inner dims differ',
				(t) => (t[adapterTensorName(0, 'v_proj', 'B')] = factor([KV, 3], 7)),
				/layer 0 v_proj: inner dims differ \(lora_A \[2, 8\], lora_B \[4, 3\]\)/
			],
			[
				'in/out not stable across layers',
				(t) => (t[adapterTensorName(1, 'v_proj', 'B')] = factor([6, RANK], 8)),
				/layer 1 v_proj: maps 8 -> 6 features but layer 0 maps 8 -> 4/
			],
			[
				'unparseable name',
				(t) => (t['model.layers.0.q_proj.weight'] = factor([1, 1], 9)),
				/tensor model\.layers\.0\.q_proj\.weight: not a LoRA factor name/
			],
			[
				'module outside target_modules',
				(t) => {
					t[adapterTensorName(0, 'o_proj', 'A')] = factor([RANK, HIDDEN], 1);
					t[adapterTensorName(0, 'o_proj', 'B')] = factor([HIDDEN, RANK], 1);
				},
				/tensors for o_proj, which is not in target_modules/
			],
			[
				'a target module without tensors',
				(t) => {
					for (const l of [0, 1]) for (const p of ['A', 'B'] as const) delete t[adapterTensorName(l, 'v_proj', p)];
				},
				/^target module v_proj has no tensors$/
			],
			[
				'modules on different layers',
				(t) => {
					delete t[adapterTensorName(1, 'v_proj', 'A')];
					delete t[adapterTensorName(1, 'v_proj', 'B')];
				},
				/v_proj covers layers \[0\] but q_proj covers \[0,1\]/
			],
			[
				'more layers than the base',
				(t) => {
					t[adapterTensorName(2, 'q_proj', 'A')] = factor([RANK, HIDDEN], 1);
					t[adapterTensorName(2, 'q_proj', 'B')] = factor([HIDDEN, RANK], 1);
				},
				/layer 2 q_proj: base tiny-base has only 2 layers/
			],
			[
				'another hidden size than the base',
				(t) => {
					for (const l of [0, 1]) t[adapterTensorName(l, 'q_proj', 'A')] = factor([RANK, 16], l);
				},
				/layer 0 q_proj: lora_A \[2, 16\] reads 16 features, base tiny-base hidden size is 8/
			],
			[
				'NaN weights',
				(t) =>
					(t[q0A] = { dtype: 'F32', shape: [RANK, HIDDEN], data: new Float32Array(RANK * HIDDEN).fill(Number.NaN) }),
				/^tensor .*q_proj\.lora_A\.weight holds 16 NaN or infinite values$/
			],
			[
				'an infinite weight',
				(t) =>
					(t[q0A] = {
						dtype: 'F16',
						shape: [RANK, HIDDEN],
						data: new Float32Array(RANK * HIDDEN).fill(0.5).fill(Number.POSITIVE_INFINITY, 3, 4)
					}),
				/holds 1 NaN or infinite value$/
			]
		];
		for (const [label, edit, pattern] of cases) {
			const tensors = goodTensors();
			edit(tensors);
			const problems = problemsOf(tensors);
			expect(
				problems.some((p) => pattern.test(p)),
				`${label}: ${JSON.stringify(problems)}`
			).toBe(true);
		}
		expect(problemsOf({})).toEqual(['adapter_model.safetensors holds no tensors']);
	});
});

describe('parseExpertPackage', () => {
	const files = () => ({
		manifest: JSON.stringify(manifest),
		adapterConfig: JSON.stringify(adapterConfig),
		adapterWeights: serializeSafetensors(goodTensors()),
		metadata: '{"method":"lora"}'
	});

	it('parses a full package and a manifest-only one', () => {
		const full = parseExpertPackage(files(), 'pkg');
		expect(full.manifest.name).toBe('tiny-expert');
		expect(full.adapterConfig?.r).toBe(2);
		expect(full.weights?.tensors.size).toBe(8);
		expect(full.metadata).toEqual({ method: 'lora' });
		const bare = parseExpertPackage({ manifest: JSON.stringify(manifest) }, 'pkg');
		expect(bare.adapterConfig).toBeNull();
		expect(bare.weights).toBeNull();
		expect(bare.metadata).toBeNull();
	});

	it('throws one line for half a package, bad files or inconsistent weights', () => {
		const { adapterWeights: _w, ...noWeights } = files();
		expect(() => parseExpertPackage(noWeights, 'pkg')).toThrow(
			/^pkg: has adapter_config\.json but no adapter_model\.safetensors$/
		);
		expect(() => parseExpertPackage({ ...files(), metadata: '[1]' }, 'pkg')).toThrow(
			/^pkg\/metadata\.json: must be a JSON object$/
		);
		expect(() => parseExpertPackage({ ...files(), adapterWeights: new Uint8Array(4) }, 'pkg')).toThrow(
			/^pkg\/adapter_model\.safetensors: file is 4 bytes/
		);
		const bad = goodTensors();
		delete bad[adapterTensorName(0, 'q_proj', 'B')];
		expect(() => parseExpertPackage({ ...files(), adapterWeights: serializeSafetensors(bad) }, 'pkg')).toThrow(
			/^pkg: layer 0 q_proj: has lora_A but no lora_B$/
		);
	});
});

describe('package folders', () => {
	it('writes atomically, reads back the same values, and replaces an older package', async () => {
		const dir = path.join(root, 'tiny-expert-v1');
		await writeExpertPackage(dir, { manifest, adapterConfig, tensors: goodTensors(), metadata: { dataset: 'x' } });
		await writeExpertPackage(dir, {
			manifest: { ...manifest, version: '1.3.0' },
			adapterConfig,
			tensors: goodTensors(),
			metadata: { dataset: 'y' }
		});
		expect(readdirSync(root)).toEqual(['tiny-expert-v1']); // no temp or backup folders left
		expect(readdirSync(dir).sort()).toEqual([
			'adapter_config.json',
			'adapter_model.safetensors',
			'manifest.json',
			'metadata.json'
		]);
		const pkg = await readExpertPackage(dir);
		expect(pkg.manifest.version).toBe('1.3.0');
		expect(pkg.metadata).toEqual({ dataset: 'y' });
		const name = adapterTensorName(1, 'v_proj', 'B');
		expect(tensorToFloat32(pkg.weights!.tensors.get(name)!)).toEqual(goodTensors()[name].data);
		expect(await validateExpertDir(dir)).toMatchObject({
			status: 'valid',
			name: 'tiny-expert',
			version: '1.3.0',
			tensors: 8,
			problems: []
		});
	});

	it('refuses to write an invalid package and leaves nothing behind', async () => {
		const dir = path.join(root, 'refused');
		const bad = goodTensors();
		bad[adapterTensorName(0, 'q_proj', 'A')] = factor([5, HIDDEN], 3);
		await expect(writeExpertPackage(dir, { manifest, adapterConfig, tensors: bad, metadata: {} })).rejects.toThrow(
			/layer 0 q_proj: lora_A \[5, 8\] has rank 5/
		);
		await expect(
			writeExpertPackage(dir, {
				manifest: { ...manifest, version: 'one' },
				adapterConfig,
				tensors: goodTensors(),
				metadata: {}
			})
		).rejects.toThrow(/manifest\.json: version: must be a semver version/);
		expect(existsSync(dir)).toBe(false);
		expect(readdirSync(root).filter((entry) => entry.startsWith('refused'))).toEqual([]);
	});

	it('validate lists every problem of every file, and reports manifest-only packages', async () => {
		const dir = path.join(root, 'broken');
		await writeExpertPackage(dir, { manifest, adapterConfig, tensors: goodTensors(), metadata: {} });
		writeFileSync(
			path.join(dir, 'manifest.json'),
			JSON.stringify({ ...manifest, version: '2', routing: { keywords: [], priority: 3 } })
		);
		writeFileSync(path.join(dir, 'adapter_config.json'), JSON.stringify({ ...adapterConfig, r: -1 }));
		const weights = readFileSync(path.join(dir, 'adapter_model.safetensors'));
		writeFileSync(path.join(dir, 'adapter_model.safetensors'), weights.subarray(0, 20));
		writeFileSync(path.join(dir, 'metadata.json'), '{oops');
		const report = await validateExpertDir(dir);
		expect(report.status).toBe('invalid');
		expect(report.problems).toHaveLength(5);
		expect(report.problems[0]).toMatch(/manifest\.json: version: must be a semver version/);
		expect(report.problems[1]).toMatch(/manifest\.json: routing\.priority: must be between 0 and 1/);
		expect(report.problems[2]).toMatch(/adapter_config\.json: r: must be > 0/);
		expect(report.problems[3]).toMatch(
			/adapter_model\.safetensors: header length \d+ is larger than the file \(20 bytes\)/
		);
		expect(report.problems[4]).toMatch(/metadata\.json: malformed JSON/);
		const manifestOnly = path.join(root, 'manifest-only');
		mkdirSync(manifestOnly);
		copyFileSync(
			path.resolve(import.meta.dirname, '../../experts/json-parser-v2/manifest.json'),
			path.join(manifestOnly, 'manifest.json')
		);
		expect(await validateExpertDir(manifestOnly)).toMatchObject({
			status: 'manifest only',
			name: 'json-parser',
			version: '2.0.0',
			problems: []
		});
		expect((await validateExpertDir(path.join(root, 'missing'))).problems).toEqual([
			`${path.join(root, 'missing')}: no manifest.json (not an expert package)`
		]);
	});

	it('scans experts/ into a registry of the seed manifests', async () => {
		const expertsDir = path.resolve(import.meta.dirname, '../../experts');
		const dirs = await scanExpertDirs(expertsDir);
		expect(dirs).toContain(path.join(expertsDir, 'neo4j-cypher-v1'));
		const registry = await readRegistry(expertsDir);
		expect(registry.map((m) => `${m.name}@${m.version}`)).toEqual(
			expect.arrayContaining(['json-parser@2.0.0', 'document-classifier@1.0.0', 'rust-code@1.1.0'])
		);
		await expect(readRegistry(path.join(root, 'nope'))).rejects.toThrow(/nope: cannot list experts \(ENOENT\)/);
	});

	it('reads packages linked in by symbolic link, and leaves out (with the reason) a folder whose manifest does not parse', async () => {
		const expertsDir = path.resolve(import.meta.dirname, '../../experts');
		const mixed = path.join(root, 'mixed');
		mkdirSync(path.join(mixed, 'broken-v1'), { recursive: true });
		writeFileSync(path.join(mixed, 'broken-v1', 'manifest.json'), '{"name": "broken"');
		symlinkSync(path.join(expertsDir, 'json-parser-v2'), path.join(mixed, 'json-parser-v2'));
		symlinkSync(path.join(root, 'no-such-folder'), path.join(mixed, 'dangling'));
		const { packages, skipped } = await readPackageManifests(mixed);
		expect(packages.map(({ manifest }) => `${manifest.name}@${manifest.version}`)).toEqual(['json-parser@2.0.0']);
		expect(skipped).toEqual([
			{ dir: path.join(mixed, 'broken-v1'), problem: expect.stringMatching(/^.*broken-v1\/manifest\.json: /) }
		]);
	});
});
