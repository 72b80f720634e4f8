// GitHub Linguist's own Bayesian classifier (Debian's ruby-github-linguist 7.22, run by linguist-classifier.rb) as
// an eval anchor for content-only answers: its top language per text, renamed to today's Linguist names by
// language_id, and the time it took. Absent Ruby or the package, it says so and the eval leaves its column out.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { LINGUIST_ENTRIES } from '../classify/linguist-names.ts';

const SCRIPT = fileURLToPath(new URL('./linguist-classifier.rb', import.meta.url));
const NAME_OF_ID = new Map(LINGUIST_ENTRIES.map((entry) => [entry.languageId, entry.name]));

/** Why the classifier cannot run here, or null when it can. */
export function linguistClassifierProblem(): string | null {
	const probe = spawnSync('ruby', ['-e', 'require "linguist"; print Linguist::VERSION'], { encoding: 'utf8' });
	if (probe.error) return 'ruby is not installed (apt-get install ruby-github-linguist)';
	if (probe.status !== 0) return 'the linguist gem does not load (apt-get install ruby-github-linguist)';
	return null;
}

/** The classifier's version (Debian's package), for the report. */
export function linguistClassifierVersion(): string {
	return spawnSync('ruby', ['-e', 'require "linguist"; print Linguist::VERSION'], { encoding: 'utf8' }).stdout.trim();
}

/** Linguist's classifier's top language (today's name; "none" when it gives none) for each text, and the milliseconds taken. */
export async function linguistClassifierLanguages(
	texts: ReadonlyMap<string, string>
): Promise<{ languages: Map<string, string>; milliseconds: number }> {
	const started = performance.now();
	const child = spawn('ruby', [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
	const languages = new Map<string, string>();
	const lines = createInterface({ input: child.stdout });
	const done = (async () => {
		for await (const line of lines) {
			const answer = JSON.parse(line) as { key: string; language: string | null; language_id: number | null };
			languages.set(
				answer.key,
				(answer.language_id !== null && NAME_OF_ID.get(answer.language_id)) || answer.language || 'none'
			);
		}
	})();
	for (const [key, text] of texts) {
		if (!child.stdin.write(`${JSON.stringify({ key, text })}\n`))
			await new Promise((resolve) => child.stdin.once('drain', resolve));
	}
	child.stdin.end();
	await done;
	return { languages, milliseconds: performance.now() - started };
}
