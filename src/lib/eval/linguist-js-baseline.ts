// The rules-only baseline the evaluation compares against: linguist-js (GitHub Linguist's strategies and
// heuristics, no model) run offline over the same files in one call, its answers renamed to today's
// Linguist names. Node only.
import linguist from 'linguist-js';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';

/** linguist-js's language for each file (path → name; "none" where it has no answer), and its wall time. */
export async function linguistJsLanguages(
	heuristics: LinguistHeuristics,
	files: ReadonlyArray<{ path: string; fileName: string; content: string }>
): Promise<{ languages: Map<string, string>; milliseconds: number }> {
	// One folder per file keeps every name unique and as given (linguist-js decides by base name and content).
	const names = files.map((file, index) => `f${index}/${file.fileName}`);
	const started = performance.now();
	const result = await linguist(names, {
		fileContent: files.map((file) => file.content),
		offline: true,
		keepVendored: true,
		keepBinary: true,
		childLanguages: true
	});
	const milliseconds = performance.now() - started;
	const answers = result.files.results as Record<string, string | null>;
	const languages = new Map<string, string>();
	files.forEach((file, index) => {
		const answer = answers[names[index]];
		languages.set(file.path, answer ? heuristics.currentName(answer) : 'none');
	});
	return { languages, milliseconds };
}
