// JSON Lines dataset files on disk (Node only): reading, and the resumable output of `dataset create`.
// New records go to "<output>.partial" one whole line per write; a torn last line left by a crash is
// dropped on resume, and the file takes its final name only when the requested count is complete. A file
// that is not a dataset (any line not a record) is never touched.
import { access, appendFile, constants, lstat, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';
import { jsonSyntaxReason } from '../json-error.ts';
import type { DatasetRecord } from './formats.ts';
import type { RecordSink } from './create-dataset.ts';

export interface ParsedLine {
	lineNumber: number;
	value: unknown;
	/** Set when the line is not valid JSON. */
	error?: string;
}

/** Parses a JSONL text line by line (blank lines skipped); bad lines are reported, not thrown. */
export function parseJsonLines(text: string): ParsedLine[] {
	const lines: ParsedLine[] = [];
	text.split('\n').forEach((line, index) => {
		if (line.trim() === '') return;
		try {
			lines.push({ lineNumber: index + 1, value: JSON.parse(line) });
		} catch (error) {
			lines.push({ lineNumber: index + 1, value: null, error: jsonSyntaxReason(error) });
		}
	});
	return lines;
}

export async function readDatasetText(file: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new ExpertError(
			'dataset-unreadable',
			code === 'ENOENT' ? `dataset file not found: ${file}` : `cannot read ${file} (${code})`
		);
	}
}

async function exists(file: string): Promise<boolean> {
	return stat(file).then(
		() => true,
		() => false
	);
}

/**
 * The file a write to `file` should replace: itself, or the file a symbolic link at `file` points to (so a
 * write goes through the link instead of replacing it); a one-line error for a dangling link.
 */
async function writeTarget(file: string): Promise<string> {
	if (!(await lstat(file).catch(() => null))?.isSymbolicLink()) return file;
	return realpath(file).catch(() => {
		throw new ExpertError(
			'output-unwritable',
			`cannot write ${file}: it is a symbolic link to a file that does not exist`
		);
	});
}

/** Writes a file atomically (temp file in the same folder, then rename), through a symbolic link if `file` is one. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
	const target = await writeTarget(file);
	const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
	await writeFile(temp, text);
	await rename(temp, target);
}

/** Checks that the output's folder exists and is writable and that the output is not a folder. */
async function checkWritable(output: string): Promise<void> {
	const folder = path.dirname(path.resolve(output));
	try {
		await access(folder, constants.W_OK);
	} catch {
		throw new ExpertError(
			'output-unwritable',
			`cannot write ${output}: folder ${folder} does not exist or is not writable`
		);
	}
	if ((await stat(output).catch(() => null))?.isDirectory())
		throw new ExpertError('output-unwritable', `cannot write ${output}: it is a folder`);
}

const isDatasetRecord = (value: unknown): value is DatasetRecord =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as { id?: unknown }).id === 'string' &&
	typeof (value as { domain?: unknown }).domain === 'string';

/**
 * The records of an output file. Every line must be a dataset record (an object with `id` and `domain`), else
 * the file is not one of ours and is left alone. `allowTorn` (our own .partial file): a last line without its
 * newline, left by a crash, is dropped rather than checked.
 */
async function readRecords(file: string, allowTorn: boolean): Promise<{ records: DatasetRecord[]; torn: boolean }> {
	const text = await readFile(file, 'utf8');
	const lines = text.split('\n');
	// Our own .partial: a last line without its newline is torn (dropped below); any other file: it must be a record too.
	const last = allowTorn ? (lines.pop() ?? '') : '';
	const refuse = (lineNumber: number, why: string) => {
		throw new ExpertError(
			'output-not-dataset',
			`${file} line ${lineNumber} ${why}, so it is not a dataset file; refusing to touch it (pick another --output, or move it away)`
		);
	};
	const records: DatasetRecord[] = [];
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			refuse(index + 1, 'is not JSON');
		}
		if (!isDatasetRecord(value)) refuse(index + 1, 'is not a dataset record (no "id" and "domain")');
		records.push(value as DatasetRecord);
	}
	return { records, torn: last.trim() !== '' };
}

export class DatasetOutput implements RecordSink {
	private constructor(
		readonly output: string,
		readonly partialPath: string,
		readonly existing: DatasetRecord[]
	) {}

	/** Opens an output for appending, resuming from "<output>.partial" or from a finished output. */
	static async open(requested: string): Promise<DatasetOutput> {
		await checkWritable(requested);
		const output = await writeTarget(requested);
		const partialPath = `${output}.partial`;
		let existing: DatasetRecord[] = [];
		if (await exists(partialPath)) {
			const { records, torn } = await readRecords(partialPath, true);
			existing = records;
			if (torn) await writeFileAtomic(partialPath, records.map((r) => JSON.stringify(r) + '\n').join(''));
		} else if (await exists(output)) {
			existing = (await readRecords(output, false)).records;
			await writeFileAtomic(partialPath, existing.map((r) => JSON.stringify(r) + '\n').join(''));
		} else {
			await writeFileAtomic(partialPath, '');
		}
		return new DatasetOutput(output, partialPath, existing);
	}

	async append(records: DatasetRecord[]): Promise<void> {
		if (records.length === 0) return;
		await appendFile(this.partialPath, records.map((r) => JSON.stringify(r) + '\n').join(''));
	}

	/** Gives the finished file its final name. */
	async complete(): Promise<void> {
		await rename(this.partialPath, this.output);
	}
}
