// An expert package as one file: a zip (ours, via fflate) or a tar (the trainer's artifact) holding
// manifest.json, adapter_config.json, adapter_model.safetensors, metadata.json (and head_config.json for a language head), at the top or in one folder.
import { OPTIONAL_PACKAGE_FILES, PACKAGE_FILES } from '../experts/package.ts';
import { unzipSync, zipSync } from 'fflate';
import { ExpertError } from '../errors.ts';
import { isTarArchive, readTarFiles } from './tar-reader.ts';

export const PACKAGE_FILE_NAMES = [...Object.values(PACKAGE_FILES), ...Object.values(OPTIONAL_PACKAGE_FILES)];
export type PackageFileName = (typeof PACKAGE_FILE_NAMES)[number];
export type PackageFiles = Partial<Record<PackageFileName, Uint8Array>>;

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/** Zips the package files under `<folder>/`, with a fixed timestamp so the same package gives the same bytes. */
export function packExpertArchive(folder: string, files: PackageFiles): Uint8Array {
	const entries: Record<string, Uint8Array> = {};
	for (const name of PACKAGE_FILE_NAMES) {
		const bytes = files[name];
		if (bytes) entries[`${folder}/${name}`] = bytes;
	}
	return zipSync(entries, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

function readArchiveEntries(bytes: Uint8Array, source: string): Record<string, Uint8Array> {
	const isZip = bytes.length >= 4 && ZIP_SIGNATURE.every((byte, i) => bytes[i] === byte);
	if (!isZip && !isTarArchive(bytes)) {
		throw new ExpertError(
			'archive-invalid',
			`${source}: not a zip or tar file (expected an expert package exported as .zip or a trainer .tar)`
		);
	}
	try {
		return isZip ? unzipSync(bytes) : readTarFiles(bytes);
	} catch (error) {
		throw new ExpertError(
			'archive-invalid',
			`${source}: corrupt ${isZip ? 'zip' : 'tar'} archive (${error instanceof Error ? error.message : String(error)})`
		);
	}
}

/** Reads a package archive; rejects anything else, several packages in one file, or unknown paths. */
export function unpackExpertArchive(bytes: Uint8Array, source: string): PackageFiles {
	const entries = readArchiveEntries(bytes, source);
	const files: PackageFiles = {};
	const folders = new Set<string>();
	for (const [entryPath, content] of Object.entries(entries)) {
		if (entryPath.endsWith('/')) continue;
		const parts = entryPath.replace(/^\.\//, '').split('/');
		const fileName = parts.pop() as string;
		if (parts.length > 1 || !(PACKAGE_FILE_NAMES as readonly string[]).includes(fileName)) {
			throw new ExpertError(
				'archive-invalid',
				`${source}: unexpected entry "${entryPath}" in an expert package archive`
			);
		}
		folders.add(parts.join('/'));
		files[fileName as PackageFileName] = content;
	}
	if (folders.size > 1)
		throw new ExpertError(
			'archive-invalid',
			`${source}: holds more than one package folder (${[...folders].join(', ')})`
		);
	if (!files['manifest.json']) throw new ExpertError('archive-invalid', `${source}: no manifest.json in the archive`);
	return files;
}
