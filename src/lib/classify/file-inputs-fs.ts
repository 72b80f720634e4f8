// Turns the paths given to `expert classify` into classifiable inputs: folders are walked (hidden
// folders, node_modules and .git skipped; in a repository's walk only .git, and links reported, as Linguist sees
// a repository),
// each file's start is read as text (file-input-policy.ts), and binary, unreadable, empty or oversized files
// become problems to report instead of errors that stop the run.
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';
import { decodeFileHead, READ_BYTES, sizeProblem } from './file-input-policy.ts';

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

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.svelte-kit', '__pycache__']);
/** Git stores a link, not the file: Linguist counts the file where it is, never the link. */
const SYMLINK_IN_REPOSITORY = 'symbolic link (Linguist counts the file it points to, not the link)';

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Every file under `paths` (files as given, folders recursively, sorted; symlinked files followed, symlinked
 * folders not), and every path that cannot be classified with the reason: missing, dangling, unreadable folder,
 * not a regular file. Only when no given path exists at all is that an error.
 */
export async function collectFiles(
	paths: string[],
	walking: 'files' | 'repository' = 'files'
): Promise<{ files: string[]; problems: SkippedInput[] }> {
	const walked =
		walking === 'repository'
			? (name: string) => name !== '.git'
			: (name: string) => !name.startsWith('.') && !SKIPPED_FOLDERS.has(name);
	const files: string[] = [];
	const problems: SkippedInput[] = [];
	const add = async (full: string, given: boolean): Promise<void> => {
		const info = await stat(full).catch((error: unknown) => error as NodeJS.ErrnoException);
		if (info instanceof Error)
			problems.push({
				path: full,
				problem:
					info.code === 'ENOENT'
						? given
							? 'no such file or folder'
							: 'dangling symbolic link'
						: info.code === 'ELOOP'
							? 'symbolic link loop'
							: `unreadable (${errorCode(info)})`
			});
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
				if (walked(entry.name)) await walk(full);
			} else if (entry.isFile()) files.push(full);
			else if (walking === 'repository' && entry.isSymbolicLink())
				problems.push({ path: full, problem: SYMLINK_IN_REPOSITORY });
			else await add(full, false);
		}
	}
	for (const given of paths) await add(given, true);
	if (files.length === 0 && problems.length > 0 && problems.every((p) => p.problem === 'no such file or folder')) {
		throw new ExpertError('missing-input', `${problems.map((p) => p.path).join(', ')}: no such file or folder`);
	}
	return { files, problems };
}

/** Reads the start of one file; never throws for a bad file, only describes it. */
export async function readInput(file: string, maxFileBytes: number): Promise<ReadableInput | SkippedInput> {
	try {
		const { size } = await stat(file);
		const problem = sizeProblem(size, maxFileBytes);
		if (problem) return { path: file, problem };
		const handle = await open(file, 'r');
		try {
			const buffer = new Uint8Array(Math.min(size, READ_BYTES));
			const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
			const decoded = decodeFileHead(buffer.subarray(0, bytesRead));
			if ('problem' in decoded) return { path: file, problem: decoded.problem };
			return { path: file, fileName: path.basename(file), content: decoded.content, bytes: size };
		} finally {
			await handle.close();
		}
	} catch (error) {
		return { path: file, problem: `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
	}
}

/** The path standard input is shown under. */
export const STDIN_PATH = '-';

/**
 * Reads standard input as one text (a pasted snippet), under the same policy as files: its first READ_BYTES
 * decide binary or not UTF-8; `fileName` ('' when unknown: content alone decides) feeds the evidence chain.
 */
export async function readStdinInput(
	stream: NodeJS.ReadableStream,
	fileName: string,
	maxFileBytes: number
): Promise<ReadableInput | SkippedInput> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		size += buffer.length;
		if (size > maxFileBytes) return { path: STDIN_PATH, problem: sizeProblem(size, maxFileBytes)! };
		if (size - buffer.length < READ_BYTES) chunks.push(buffer);
	}
	const problem = sizeProblem(size, maxFileBytes);
	if (problem) return { path: STDIN_PATH, problem: problem === 'empty file' ? 'empty input' : problem };
	const decoded = decodeFileHead(new Uint8Array(Buffer.concat(chunks).subarray(0, READ_BYTES)));
	if ('problem' in decoded) return { path: STDIN_PATH, problem: decoded.problem };
	return { path: STDIN_PATH, fileName, content: decoded.content, bytes: size };
}

export function isSkipped(input: ReadableInput | SkippedInput): input is SkippedInput {
	return 'problem' in input;
}
