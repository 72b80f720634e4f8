// Installing an uploaded package archive: a real random adapter package (zip) validates and summarises;
// a package for another base (declared, or only visible in tensor shapes) and a broken manifest are refused
// with one line naming the file. About 1 s.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateExpertArchive } from '../../src/lib/worker/expert-install.ts';
import { writeRandomAdapter, writeTinyModel, type TinyModelConfig } from '../fixtures/tiny-model.ts';

async function zipFolder(
	dir: string,
	edit: (name: string, bytes: Uint8Array) => Uint8Array = (_, bytes) => bytes
): Promise<Uint8Array> {
	const entries: Record<string, Uint8Array> = {};
	for (const name of await readdir(dir))
		entries[`pkg-v1/${name}`] = edit(name, new Uint8Array(await readFile(path.join(dir, name))));
	return zipSync(entries);
}

describe('validateExpertArchive', () => {
	let root: string;
	let config: TinyModelConfig;
	let packageDir: string;

	beforeAll(async () => {
		root = await mkdtemp(path.join(os.tmpdir(), 'expert-install-'));
		({ config } = await writeTinyModel(path.join(root, 'model'), { architecture: 'llama', seed: 2 }));
		packageDir = path.join(root, 'pkg-v1');
		const release = { version: '1.4.0', requires: ['english-basic@>=1.0.0'] };
		await writeRandomAdapter(packageDir, config, {
			r: 3,
			targetModules: ['q_proj', 'down_proj'],
			seed: 9,
			name: 'pkg',
			...release
		});
	});
	afterAll(async () => rm(root, { recursive: true, force: true }));

	const base = () => ({ name: 'tiny', hidden_size: config.hidden_size, num_hidden_layers: config.num_hidden_layers });

	it('accepts a package for the loaded base and summarises it', async () => {
		const { key, files, summary } = validateExpertArchive(await zipFolder(packageDir), 'pkg.zip', base());
		expect(key).toBe('pkg@1.4.0');
		expect(Object.keys(files).sort()).toEqual([
			'adapter_config.json',
			'adapter_model.safetensors',
			'manifest.json',
			'metadata.json'
		]);
		expect(summary).toMatchObject({
			name: 'pkg',
			version: '1.4.0',
			rank: 3,
			targetModules: ['q_proj', 'down_proj'],
			requires: ['english-basic@>=1.0.0'],
			keywords: ['pkg']
		});
		expect(summary.manifest.name).toBe('pkg');
	});

	it('refuses a package made for another base, declared or seen in the tensor shapes', async () => {
		const wider = { ...base(), hidden_size: config.hidden_size + 8 };
		const archive = await zipFolder(packageDir);
		expect(() => validateExpertArchive(archive, 'pkg.zip', wider)).toThrow(
			/^pkg\.zip: built for base .* \(hidden \d+, \d+ layers\), not the loaded tiny/
		);
		const undeclared = await zipFolder(packageDir, (name, bytes) => {
			if (name !== 'manifest.json') return bytes;
			const { base_model: _dropped, ...manifest } = JSON.parse(new TextDecoder().decode(bytes));
			return new TextEncoder().encode(JSON.stringify(manifest));
		});
		expect(() => validateExpertArchive(undeclared, 'nobase.zip', wider)).toThrow(
			/^nobase\.zip: does not fit the loaded base tiny: layer 0 (down|q)_proj: lora_[AB] \[\d+, \d+\] (reads|writes) \d+ features, base tiny hidden size is \d+ \(and 3 more\)$/
		);
		expect(() => validateExpertArchive(undeclared, 'nobase.zip', { ...base(), num_hidden_layers: 1 })).toThrow(
			'does not fit the loaded base'
		);
		expect(validateExpertArchive(undeclared, 'nobase.zip', base()).key).toBe('pkg@1.4.0');
	});

	it('refuses a package whose manifest is broken, naming the file', async () => {
		const broken = await zipFolder(packageDir, (name, bytes) =>
			name === 'manifest.json' ? new TextEncoder().encode('{"name": 12}') : bytes
		);
		expect(() => validateExpertArchive(broken, 'broken.zip', null)).toThrow(/broken\.zip/);
	});
});
