// JSON Lines dataset files on disk (Node only): reading, and the resumable output of `dataset create`.
// New records go to "<output>.partial" one whole line per write; a torn last line left by a crash is
// dropped on resume, and the file takes its final name only when the requested count is complete.
import { access, appendFile, constants, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';
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
			lines.push({ lineNumber: index + 1, value: null, error: (error as Error).message.split('\n')[0] });
		}
	});
	return lines;
}

export async function readDatasetText(file: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new ExpertError('dataset-unreadable', code === 'ENOENT' ? `dataset file not found: ${file}` : `cannot read ${file} (${code})`);
	}
}

async function exists(file: string): Promise<boolean> {
	return stat(file).then(() => true, () => false);
}

/** Writes a file atomically (temp file in the same folder, then rename). */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
	const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
	await writeFile(temp, text);
	await rename(temp, file);
}

/** Checks that the output's folder exists and is writable and that the output is not a folder. */
async function checkWritable(output: string): Promise<void> {
	const folder = path.dirname(path.resolve(output));
	try {
		await access(folder, constants.W_OK);
	} catch {
		throw new ExpertError('output-unwritable', `cannot write ${output}: folder ${folder} does not exist or is not writable`);
	}
	if ((await stat(output).catch(() => null))?.isDirectory()) throw new ExpertError('output-unwritable', `cannot write ${output}: it is a folder`);
}

/** Complete JSON lines of a file, dropping a torn last line (no newline or not JSON). */
async function readCompleteRecords(file: string): Promise<{ records: DatasetRecord[]; torn: boolean }> {
	const text = await readFile(file, 'utf8');
	const lines = text.split('\n');
	const last = lines.pop() ?? '';
	const records: DatasetRecord[] = [];
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') continue;
		try {
			records.push(JSON.parse(line) as DatasetRecord);
		} catch {
			if (index === lines.length - 1) return { records, torn: true };
			throw new ExpertError('output-corrupt', `${file} line ${index + 1} is not JSON; refusing to append to it`);
		}
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
	static async open(output: string): Promise<DatasetOutput> {
		await checkWritable(output);
		const partialPath = `${output}.partial`;
		let existing: DatasetRecord[] = [];
		if (await exists(partialPath)) {
			const { records, torn } = await readCompleteRecords(partialPath);
			existing = records;
			if (torn) await writeFileAtomic(partialPath, records.map((r) => JSON.stringify(r) + '\n').join(''));
		} else if (await exists(output)) {
			existing = (await readCompleteRecords(output)).records;
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
