// Writes a text file so that readers see the old file or the whole new one, never a half-written one: a
// temporary file beside it (this process's own), then a rename. Node only.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeTextAtomically(file: string, text: string): Promise<void> {
	await mkdir(path.dirname(file), { recursive: true });
	const temp = `${file}.partial-${process.pid}`;
	try {
		await writeFile(temp, text);
		await rename(temp, file);
	} catch (error) {
		await rm(temp, { force: true });
		throw error;
	}
}
