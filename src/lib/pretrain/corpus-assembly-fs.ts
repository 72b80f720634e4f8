// Assembles the pre-training corpus from the sources in corpus-sources-fs.ts: text files only, each
// truncated at a line boundary, deduplicated by normalized content, sampled up to each source's byte cap.
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { normalizeForDedup } from '../datasets/hashing.ts';
import { isPerplexityHoldout, type CorpusSource } from './corpus-sources-fs.ts';

export interface CorpusDocument {
	source: string;
	name: string;
	/** Kept apart from pre-training to measure held-out perplexity. */
	heldout: boolean;
	text: string;
}

export interface SourceStats {
	name: string;
	description: string;
	licence: string;
	candidates: number;
	documents: number;
	bytes: number;
	duplicates: number;
	rejected: number;
	heldoutDocuments: number;
}

export interface AssembledCorpus {
	documents: CorpusDocument[];
	sources: SourceStats[];
}

/** Longest document kept; longer files are cut at the last line break before it. */
export const MAX_DOCUMENT_CHARS = 24_000;
const MIN_DOCUMENT_CHARS = 64;

/** Text a model should learn from: no NUL bytes, little undecodable data, not minified. */
export function isUsableText(text: string): boolean {
	if (text.length < MIN_DOCUMENT_CHARS || text.includes('\u0000')) return false;
	let replacements = 0;
	for (let i = 0; i < text.length && replacements <= 8; i++) if (text.charCodeAt(i) === 0xfffd) replacements++;
	if (replacements > 8) return false;
	const lines = text.split('\n');
	const longest = lines.reduce((max, line) => Math.max(max, line.length), 0);
	return longest <= 1_000 && text.length / lines.length <= 160;
}

/** The text cut to MAX_DOCUMENT_CHARS at a line boundary. */
export function truncateAtLine(text: string, limit = MAX_DOCUMENT_CHARS): string {
	if (text.length <= limit) return text;
	const cut = text.lastIndexOf('\n', limit);
	return text.slice(0, cut > limit / 2 ? cut + 1 : limit);
}

/** The document as the model sees it: a short header naming the file, then its content. */
export function documentText(name: string, content: string): string {
	return `File name: ${name}\n---\n${content}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Samples every source (in a stable hash order) up to its cap, skipping unusable and duplicate files. */
export async function assembleCorpus(
	sources: CorpusSource[],
	onProgress?: (stats: SourceStats) => void
): Promise<AssembledCorpus> {
	const seen = new Set<string>();
	const documents: CorpusDocument[] = [];
	const stats: SourceStats[] = [];
	for (const source of sources) {
		const files = await source.listFiles();
		const ordered = files.map((file) => ({ file, key: sha256(file) })).sort((a, b) => (a.key < b.key ? -1 : 1));
		const entry: SourceStats = {
			name: source.name,
			description: source.description,
			licence: source.licence,
			candidates: files.length,
			documents: 0,
			bytes: 0,
			duplicates: 0,
			rejected: 0,
			heldoutDocuments: 0
		};
		for (const { file } of ordered) {
			if (entry.bytes >= source.capBytes) break;
			const raw = source.readText(file);
			if (raw === null || !isUsableText(raw)) {
				entry.rejected++;
				continue;
			}
			const content = truncateAtLine(raw);
			const digest = sha256(normalizeForDedup(content));
			if (seen.has(digest)) {
				entry.duplicates++;
				continue;
			}
			seen.add(digest);
			const name = source.displayName(file);
			const text = documentText(name, content);
			const heldout = isPerplexityHoldout(file);
			documents.push({ source: source.name, name, heldout, text });
			entry.documents++;
			entry.bytes += Buffer.byteLength(text);
			if (heldout) entry.heldoutDocuments++;
		}
		stats.push(entry);
		onProgress?.(entry);
	}
	return { documents, sources: stats };
}

/** Writes documents.jsonl and corpus-stats.json into `dir` (each through a temp file + rename). */
export async function writeCorpus(dir: string, corpus: AssembledCorpus): Promise<void> {
	await mkdir(dir, { recursive: true });
	const write = async (name: string, text: string) => {
		const target = path.join(dir, name);
		await writeFile(`${target}.tmp`, text);
		await rename(`${target}.tmp`, target);
	};
	await write('documents.jsonl', corpus.documents.map((doc) => JSON.stringify(doc)).join('\n') + '\n');
	await write('corpus-stats.json', JSON.stringify({ sources: corpus.sources }, null, 2) + '\n');
}
