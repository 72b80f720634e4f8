// Gathers the files a user dropped or picked, whole folders included: walks DataTransferItem entries
// (webkitGetAsEntry) recursively, or reads an <input webkitdirectory> list, keeping each relative path; two
// files under one path (same-named files dropped from different folders) both stay, the second as "path (2)".

export interface PickedFile {
	path: string;
	file: File;
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
	return new Promise((resolve, reject) => {
		const all: FileSystemEntry[] = [];
		const next = () =>
			reader.readEntries((batch) => {
				if (batch.length === 0) return resolve(all);
				all.push(...batch);
				next();
			}, reject);
		next();
	});
}

async function walkEntry(entry: FileSystemEntry, into: PickedFile[]): Promise<void> {
	if (entry.isFile) {
		const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
		into.push({ path: entry.fullPath.replace(/^\//, ''), file });
		return;
	}
	for (const child of await readAllEntries((entry as FileSystemDirectoryEntry).createReader()))
		await walkEntry(child, into);
}

export async function filesFromDataTransfer(transfer: DataTransfer): Promise<PickedFile[]> {
	const entries = [...transfer.items]
		.map((item) => item.webkitGetAsEntry?.())
		.filter((entry): entry is FileSystemEntry => !!entry);
	if (entries.length === 0) return uniquePaths([...transfer.files].map((file) => ({ path: file.name, file })));
	const picked: PickedFile[] = [];
	for (const entry of entries) await walkEntry(entry, picked);
	return uniquePaths(picked);
}

export function filesFromInput(list: FileList): PickedFile[] {
	return uniquePaths([...list].map((file) => ({ path: file.webkitRelativePath || file.name, file })));
}

/** Sorted by path, every path unique: a repeated one gets " (2)", " (3)"…, so no file's row is lost (the classifier reads the file's own name). */
export function uniquePaths(files: PickedFile[]): PickedFile[] {
	const seen = new Set<string>();
	const unique = files.map(({ path, file }) => {
		let candidate = path;
		for (let n = 2; seen.has(candidate); n++) candidate = `${path} (${n})`;
		seen.add(candidate);
		return { path: candidate, file };
	});
	return unique.sort((a, b) => a.path.localeCompare(b.path));
}

/** A drop or pick that holds a folder: read it as a repository. */
export const holdsFolder = (files: readonly PickedFile[]) => files.some((picked) => picked.path.includes('/'));
