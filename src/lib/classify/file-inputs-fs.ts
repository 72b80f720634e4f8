// Turns the paths given to `expert classify` into classifiable inputs: folders are walked (hidden
// folders, node_modules and .git skipped), each file's start is read as text, and binary, unreadable,
// empty or oversized files become problems to report instead of errors that stop the run.
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';

export interface ReadableInput {
	path: string;
	fileName: string;
	/** The first READ_BYTES of the file, as UTF-8 text. */
	content: string;
	bytes: number;
}

export interface SkippedInput {
	path: string;
	problem: string;
}

/** What is read of each file: the model sees its first 512 characters; heuristics, modelines and technologies read all of this. */
const READ_BYTES = 64 * 1024;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.svelte-kit', '__pycache__']);

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Every file under `paths` (files as given, folders recursively, sorted; symlinked files followed, symlinked
 * folders not), and every path that cannot be classified with the reason: missing, dangling, unreadable folder,
 * not a regular file. Only when no given path exists at all is that an error.
 */
export async function collectFiles(paths: string[]): Promise<{ files: string[]; problems: SkippedInput[] }> {
	const files: string[] = [];
	const problems: SkippedInput[] = [];
	const add = async (full: string, given: boolean): Promise<void> => {
		const info = await stat(full).catch((error: unknown) => error as NodeJS.ErrnoException);
		if (info instanceof Error) problems.push({ path: full, problem: info.code === 'ENOENT' ? (given ? 'no such file or folder' : 'dangling symbolic link') : `unreadable (${errorCode(info)})` });
		else if (info.isDirectory()) {
			if (given) await walk(full);
			else problems.push({ path: full, problem: 'symbolic link to a folder, not followed' });
		} else if (info.isFile()) files.push(full);
		else problems.push({ path: full, problem: 'not a regular file (device, FIFO or socket)' });
	};
	async function walk(dir: string): Promise<void> {
		const listed = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => error as Error);
		if (listed instanceof Error) {
			problems.push({ path: dir, problem: `unreadable folder (${errorCode(listed)})` });
			return;
		}
		for (const entry of listed.sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) await walk(full);
			} else if (entry.isFile()) files.push(full);
			else await add(full, false);
		}
	}
	for (const given of paths) await add(given, true);
	if (files.length === 0 && problems.length > 0 && problems.every((p) => p.problem === 'no such file or folder')) {
		throw new ExpertError('missing-input', `${problems.map((p) => p.path).join(', ')}: no such file or folder`);
	}
	return { files, problems };
}

function looksBinary(bytes: Uint8Array): boolean {
	return bytes.subarray(0, 8192).includes(0);
}

/** Reads the start of one file; never throws for a bad file, only describes it. */
export async function readInput(file: string, maxFileBytes: number): Promise<ReadableInput | SkippedInput> {
	try {
		const { size } = await stat(file);
		if (size === 0) return { path: file, problem: 'empty file' };
		if (size > maxFileBytes) return { path: file, problem: `too large (${(size / 2 ** 20).toFixed(1)} MiB, limit ${(maxFileBytes / 2 ** 20).toFixed(0)} MiB)` };
		const handle = await open(file, 'r');
		try {
			const buffer = new Uint8Array(Math.min(size, READ_BYTES));
			const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
			const head = buffer.subarray(0, bytesRead);
			if (looksBinary(head)) return { path: file, problem: 'binary file' };
			const content = new TextDecoder('utf-8', { fatal: false }).decode(head);
			if ((content.match(/\uFFFD/g)?.length ?? 0) > content.length / 100 + 1) return { path: file, problem: 'not UTF-8 text' };
			return { path: file, fileName: path.basename(file), content, bytes: size };
		} finally {
			await handle.close();
		}
	} catch (error) {
		return { path: file, problem: `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
	}
}

export function isSkipped(input: ReadableInput | SkippedInput): input is SkippedInput {
	return 'problem' in input;
}
