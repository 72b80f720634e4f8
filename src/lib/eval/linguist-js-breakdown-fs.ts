// linguist-js's view of a repository folder for breakdown-comparison.ts: the language it counts each file
// under in the bar (its own vendored / documentation / generated / .gitattributes / .gitignore rules, offline),
// renamed to today's Linguist names. Node only.
import linguist from 'linguist-js';
import path from 'node:path';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';
import { referenceCounted, type CountedFile } from './breakdown-comparison.ts';

/** For each of `files` (paths relative to `root`), linguist-js's bar language; and its wall time. */
export async function linguistJsBreakdown(
	heuristics: LinguistHeuristics,
	root: string,
	files: ReadonlyArray<{ path: string; bytes: number }>
): Promise<{ files: CountedFile[]; milliseconds: number }> {
	const started = performance.now();
	const result = await linguist(root, { offline: true });
	const milliseconds = performance.now() - started;
	const answers = new Map(
		Object.entries(result.files.results as Record<string, string | null>).map(([file, language]) => [
			path.relative(root, file).split(path.sep).join('/'),
			language
		])
	);
	return {
		files: files.map((f) => {
			const language = answers.get(f.path) ?? null;
			return referenceCounted(f, language ? heuristics.currentName(language) : null);
		}),
		milliseconds
	};
}
