// Gathers the files a user dropped or picked, whole folders included: walks DataTransferItem entries
// (webkitGetAsEntry) recursively, or reads an <input webkitdirectory> list, keeping each relative path.

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
	for (const child of await readAllEntries((entry as FileSystemDirectoryEntry).createReader())) await walkEntry(child, into);
}

export async function filesFromDataTransfer(transfer: DataTransfer): Promise<PickedFile[]> {
	const entries = [...transfer.items].map((item) => item.webkitGetAsEntry?.()).filter((entry): entry is FileSystemEntry => !!entry);
	if (entries.length === 0) return [...transfer.files].map((file) => ({ path: file.name, file }));
	const picked: PickedFile[] = [];
	for (const entry of entries) await walkEntry(entry, picked);
	return picked.sort((a, b) => a.path.localeCompare(b.path));
}

export function filesFromInput(list: FileList): PickedFile[] {
	return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file })).sort((a, b) => a.path.localeCompare(b.path));
}
