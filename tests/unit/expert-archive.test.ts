// Expert package archives: a zip round trip (top-level or one folder), a tar written by node-tar (as the
// trainer's artifact is) read back, and one-line errors for files that are not a package.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { create as createTar } from 'tar';
import { describe, expect, it } from 'vitest';
import { packExpertArchive, unpackExpertArchive } from '../../src/lib/worker/expert-archive.ts';

const text = (value: string) => new TextEncoder().encode(value);

describe('expert package archives', () => {
	it('round-trips the package files and gives identical bytes for identical input', () => {
		const files = {
			'manifest.json': text('{"name":"x"}'),
			'adapter_model.safetensors': new Uint8Array([1, 2, 3, 250])
		};
		const archive = packExpertArchive('x-v1', files);
		expect(packExpertArchive('x-v1', files)).toEqual(archive);
		expect(unpackExpertArchive(archive, 'x.zip')).toEqual(files);
		expect(unpackExpertArchive(zipSync({ 'manifest.json': text('{}') }), 'flat.zip')).toEqual({
			'manifest.json': text('{}')
		});
	});

	it('reads a tar made by node-tar, and refuses one with a damaged header', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'archive-test-'));
		try {
			writeFileSync(path.join(dir, 'manifest.json'), '{"name":"t"}');
			writeFileSync(path.join(dir, 'adapter_model.safetensors'), new Uint8Array(700).fill(3));
			const file = path.join(dir, 'package.tar');
			await createTar({ cwd: dir, file, portable: true }, ['manifest.json', 'adapter_model.safetensors']);
			const tar = new Uint8Array(readFileSync(file));
			expect(unpackExpertArchive(tar, 'job.tar')).toEqual({
				'manifest.json': text('{"name":"t"}'),
				'adapter_model.safetensors': new Uint8Array(700).fill(3)
			});
			tar[3] ^= 1;
			expect(() => unpackExpertArchive(tar, 'bad.tar')).toThrow(
				'bad.tar: corrupt tar archive (bad header checksum at byte 0)'
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('rejects what is not a single expert package', () => {
		expect(() => unpackExpertArchive(text('{"name":"x"}'), 'a.json')).toThrow('a.json: not a zip or tar file');
		const truncated = packExpertArchive('x-v1', { 'manifest.json': text('{"name":"x"}') }).slice(0, 40);
		expect(() => unpackExpertArchive(truncated, 'cut.zip')).toThrow('cut.zip: corrupt zip archive');
		expect(() =>
			unpackExpertArchive(zipSync({ 'x/manifest.json': text('{}'), 'x/evil.sh': text('') }), 'e.zip')
		).toThrow('unexpected entry "x/evil.sh"');
		expect(() =>
			unpackExpertArchive(zipSync({ 'x/manifest.json': text('{}'), 'y/metadata.json': text('{}') }), 'two.zip')
		).toThrow('more than one package folder');
		expect(() => unpackExpertArchive(zipSync({ 'x/metadata.json': text('{}') }), 'none.zip')).toThrow(
			'none.zip: no manifest.json'
		);
	});
});
