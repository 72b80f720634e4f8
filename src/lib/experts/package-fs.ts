// Expert packages on disk (Node only): read a package folder, write one atomically (temp folder +
// rename, so a crash never leaves half a package), and find the package folders under a root.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, ExpertError } from '../errors.ts';
import type { AdapterConfig } from './adapter.ts';
import { parseManifest, type ExpertManifest } from './manifest.ts';
import { PACKAGE_FILES, parseExpertPackage, type ExpertPackage, type ExpertPackageFiles } from './package.ts';
import { serializeSafetensors, type TensorToWrite } from './safetensors.ts';

/** A file's bytes, or undefined when it does not exist. */
async function readOptional(file: string): Promise<Buffer | undefined> {
	try {
		return await readFile(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new ExpertError('unreadable-file', `${file}: cannot read (${describeError(error)})`);
	}
}

/** The raw files of a package folder (missing optional files are undefined). */
export async function readExpertPackageFiles(dir: string): Promise<Partial<ExpertPackageFiles>> {
	const [manifest, adapterConfig, adapterWeights, metadata] = await Promise.all(
		[PACKAGE_FILES.manifest, PACKAGE_FILES.adapterConfig, PACKAGE_FILES.adapterWeights, PACKAGE_FILES.metadata].map(
			(name) => readOptional(path.join(dir, name))
		)
	);
	const weights =
		adapterWeights && new Uint8Array(adapterWeights.buffer, adapterWeights.byteOffset, adapterWeights.byteLength);
	return {
		manifest: manifest?.toString('utf8'),
		adapterConfig: adapterConfig?.toString('utf8'),
		adapterWeights: weights,
		metadata: metadata?.toString('utf8')
	};
}

/** Reads and checks the package in `dir`; throws a one-line ExpertError naming the folder on any problem. */
export async function readExpertPackage(dir: string): Promise<ExpertPackage> {
	const files = await readExpertPackageFiles(dir);
	if (files.manifest === undefined)
		throw new ExpertError('bad-package', `${dir}: no ${PACKAGE_FILES.manifest} (not an expert package)`);
	return parseExpertPackage(files as ExpertPackageFiles, dir);
}

export interface ExpertPackageContents {
	manifest: ExpertManifest;
	adapterConfig: AdapterConfig;
	tensors: Record<string, TensorToWrite>;
	metadata: Record<string, unknown>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** Writes a complete package into `dir` (replacing any previous one) via a sibling temp folder and rename. */
export async function writeExpertPackage(dir: string, contents: ExpertPackageContents): Promise<void> {
	const files = {
		manifest: json(contents.manifest),
		adapterConfig: json(contents.adapterConfig),
		adapterWeights: serializeSafetensors(contents.tensors, { format: 'pt' }),
		metadata: json(contents.metadata)
	};
	parseExpertPackage(files, dir); // refuse to write a package that would not read back
	const target = path.resolve(dir);
	const suffix = `${process.pid}-${Date.now()}`;
	const temp = `${target}.tmp-${suffix}`;
	const previous = `${target}.old-${suffix}`;
	await mkdir(temp, { recursive: true });
	try {
		await writeFile(path.join(temp, PACKAGE_FILES.manifest), files.manifest);
		await writeFile(path.join(temp, PACKAGE_FILES.adapterConfig), files.adapterConfig);
		await writeFile(path.join(temp, PACKAGE_FILES.adapterWeights), files.adapterWeights);
		await writeFile(path.join(temp, PACKAGE_FILES.metadata), files.metadata);
		const hadPrevious = await rename(target, previous).then(
			() => true,
			(error: NodeJS.ErrnoException) => {
				if (error.code === 'ENOENT') return false;
				throw error;
			}
		);
		await rename(temp, target);
		if (hadPrevious) await rm(previous, { recursive: true, force: true });
	} finally {
		await rm(temp, { recursive: true, force: true });
	}
}

/** Sorted paths of the folders directly under `root` that hold a manifest.json. */
export async function scanExpertDirs(root = 'experts'): Promise<string[]> {
	let entries;
	try {
		entries = await readdir(root, { withFileTypes: true });
	} catch (error) {
		throw new ExpertError(
			'no-experts-dir',
			`${root}: cannot list experts (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`
		);
	}
	// Folders, and symbolic links to folders (a package linked in from elsewhere).
	const isFolder = async (entry: (typeof entries)[number]) =>
		entry.isDirectory() ||
		(entry.isSymbolicLink() && ((await stat(path.join(root, entry.name)).catch(() => null))?.isDirectory() ?? false));
	const folders = await Promise.all(
		entries.map(async (entry) => ((await isFolder(entry)) ? path.join(root, entry.name) : null))
	);
	const dirs = folders.filter((dir): dir is string => dir !== null);
	const withManifest = await Promise.all(
		dirs.map(async (dir) => ((await readOptional(path.join(dir, PACKAGE_FILES.manifest))) ? dir : null))
	);
	return withManifest.filter((dir): dir is string => dir !== null).sort();
}

export interface PackageManifests {
	packages: Array<{ dir: string; manifest: ExpertManifest }>;
	/** Folders left out because their manifest does not parse, with the one-line reason (`expert validate` says more). */
	skipped: Array<{ dir: string; problem: string }>;
}

/** Every package folder under `root` with its manifest; one with a bad manifest is skipped, not fatal, so it cannot block the rest. */
export async function readPackageManifests(root = 'experts'): Promise<PackageManifests> {
	const result: PackageManifests = { packages: [], skipped: [] };
	for (const dir of await scanExpertDirs(root)) {
		try {
			result.packages.push({
				dir,
				manifest: parseManifest(
					await readFile(path.join(dir, PACKAGE_FILES.manifest), 'utf8'),
					`${dir}/${PACKAGE_FILES.manifest}`
				)
			});
		} catch (error) {
			result.skipped.push({ dir, problem: describeError(error) });
		}
	}
	return result;
}

/** The folder names under `root` of the packages `ids` (`name@version`), in the same order. */
export async function packageFolderNames(root: string, ids: readonly string[]): Promise<string[]> {
	const { packages } = await readPackageManifests(root);
	return ids.map((id) => {
		const found = packages.find(({ manifest }) => `${manifest.name}@${manifest.version}` === id);
		if (!found) throw new Error(`no package ${id} under ${root}`);
		return path.basename(found.dir);
	});
}

/** The manifests of every package under `root` (the resolver's registry); `onSkipped` hears the folders left out. */
export async function readRegistry(
	root = 'experts',
	onSkipped: (skipped: PackageManifests['skipped']) => void = () => {}
): Promise<ExpertManifest[]> {
	const { packages, skipped } = await readPackageManifests(root);
	onSkipped(skipped);
	return packages.map((entry) => entry.manifest);
}
