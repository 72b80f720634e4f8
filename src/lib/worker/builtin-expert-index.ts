// The index of the experts shipped inside the app build (copied from experts/ at build time to
// <base>/builtin-experts/, listed in builtin-experts/index.json, with the named expert sets of experts/sets/
// inline): its format, written by the build and read by the app worker and the service worker (which precaches
// every file it names).
import { ExpertError } from '../errors.ts';
import { expertSetSchema, type ExpertSet } from '../experts/expert-set.ts';

/** Not experts/: a static host could answer /experts (the Experts page) with that folder instead. */
export const BUILTIN_EXPERTS_DIR = 'builtin-experts';
export const BUILTIN_INDEX_FILE = 'index.json';
/** A package file's name (manifest.json, adapter_model.safetensors, ...): no folders, nothing to escape. */
const PACKAGE_FILE_NAME = /^[a-z_]+\.(json|safetensors)$/;

export interface BuiltinExpertIndex {
	/** One entry per package folder (e.g. english-basic-v1) with the package files it holds and their total size. */
	packages: Array<{ folder: string; files: string[]; bytes: number }>;
	/** The shipped expert sets (experts/sets/*.json), e.g. `auto`'s tuned weights and measured routed experts. */
	sets: ExpertSet[];
}

export function parseBuiltinIndex(text: string, source: string): BuiltinExpertIndex {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new ExpertError('bad-builtin-index', `${source}: not JSON`);
	}
	const packages = (value as BuiltinExpertIndex | null)?.packages;
	const valid =
		Array.isArray(packages) &&
		packages.every(
			(entry) =>
				typeof entry?.folder === 'string' &&
				/^[a-z0-9][a-z0-9.-]*$/.test(entry.folder) &&
				Array.isArray(entry.files) &&
				entry.files.every((file) => typeof file === 'string' && PACKAGE_FILE_NAME.test(file)) &&
				Number.isSafeInteger(entry.bytes) &&
				entry.bytes >= 0
		);
	if (!valid)
		throw new ExpertError(
			'bad-builtin-index',
			`${source}: must be {"packages": [{"folder", "files": [package file names], "bytes"}], "sets": [expert sets]}`
		);
	const sets = expertSetSchema
		.array()
		.default([])
		.safeParse((value as { sets?: unknown }).sets);
	if (!sets.success)
		throw new ExpertError(
			'bad-builtin-index',
			`${source}: sets: ${sets.error.issues[0].path.join('.')}: ${sets.error.issues[0].message}`
		);
	return { packages, sets: sets.data };
}

/** `appUrl`: the app's root URL (absolute, ending in a slash). */
export function builtinIndexUrl(appUrl: string): string {
	return new URL(`${BUILTIN_EXPERTS_DIR}/${BUILTIN_INDEX_FILE}`, appUrl).href;
}

export function builtinFolderUrl(appUrl: string, folder: string): string {
	return new URL(`${BUILTIN_EXPERTS_DIR}/${folder}/`, appUrl).href;
}

/** The index and every file it names, as absolute URLs (what the service worker precaches). */
export function builtinFileUrls(index: BuiltinExpertIndex, appUrl: string): string[] {
	return [
		builtinIndexUrl(appUrl),
		...index.packages.flatMap(({ folder, files }) => files.map((file) => `${builtinFolderUrl(appUrl, folder)}${file}`))
	];
}
