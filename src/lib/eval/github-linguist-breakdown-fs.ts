// GitHub Linguist's own view of a repository folder for breakdown-comparison.ts: Debian's ruby-github-linguist
// reads only Git repositories, so the folder is copied into a temporary one-commit repository and
// `github-linguist --breakdown --json` is run on it; its languages renamed to today's names. Node only.
import { execFile as execFileCallback, spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';
import { referenceCounted, type CountedFile } from './breakdown-comparison.ts';

const execFile = promisify(execFileCallback);

/** Why GitHub Linguist's breakdown cannot run here, or null when it can. */
export function githubLinguistProblem(): string | null {
	if (spawnSync('github-linguist', ['--version'], { encoding: 'utf8' }).error)
		return 'github-linguist is not installed (apt-get install ruby-github-linguist)';
	if (spawnSync('git', ['--version'], { encoding: 'utf8' }).error) return 'git is not installed';
	return null;
}

/** For each of `files` (paths relative to `root`), GitHub Linguist's bar language; and its wall time (the copy and commit not counted). */
export async function githubLinguistBreakdown(
	heuristics: LinguistHeuristics,
	root: string,
	files: ReadonlyArray<{ path: string; bytes: number }>
): Promise<{ files: CountedFile[]; milliseconds: number }> {
	const work = await mkdtemp(path.join(tmpdir(), 'expert-linguist-'));
	try {
		const repository = path.join(work, 'tree');
		await cp(root, repository, { recursive: true, filter: (source) => path.basename(source) !== '.git' });
		const git = (...args: string[]) =>
			execFile('git', ['-c', 'user.name=expert', '-c', 'user.email=expert@localhost', ...args], {
				cwd: repository,
				maxBuffer: 256 * 2 ** 20
			});
		await git('init', '-q');
		await git('add', '-A'); // .gitignore'd files stay out, as they would of a real repository
		await git('commit', '-q', '-m', 'tree');
		const started = performance.now();
		const { stdout } = await execFile('github-linguist', [repository, '--breakdown', '--json'], {
			maxBuffer: 256 * 2 ** 20
		});
		const milliseconds = performance.now() - started;
		const answers = new Map<string, string>();
		for (const [language, entry] of Object.entries(JSON.parse(stdout) as Record<string, { files: string[] }>)) {
			for (const file of entry.files) answers.set(file, heuristics.currentName(language));
		}
		return { files: files.map((f) => referenceCounted(f, answers.get(f.path) ?? null)), milliseconds };
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}
