// `expert classify <folders> --breakdown`'s work: every folder read as a repository (repository-scan.ts with
// Linguist's Node data), its rows (paths relative to the current folder) and the breakdown of them all, with the
// .gitattributes lines that could not be used; progress per file, and a stop between files when asked. Node only.
import path from 'node:path';
import type { ClassificationSession } from './classification-session.ts';
import type { ExpertSelection } from './expert-selection.ts';
import { languageBreakdown, type LanguageBreakdown } from './language-breakdown.ts';
import { repositoryFiles, scanRepositoryFolder } from './repository-files-fs.ts';
import type { RepositoryRow } from './repository-scan.ts';

export interface BreakdownRun {
	rows: RepositoryRow[];
	breakdown: LanguageBreakdown;
	/** .gitattributes lines that could not be used. */
	warnings: string[];
	interrupted: boolean;
}

export interface BreakdownProgress {
	/** A folder is about to be scanned: how many files it holds. */
	onFolder?(root: string, files: number): void;
	onFile?(): void;
	onFolderDone?(): void;
}

export async function runBreakdown(
	roots: string[],
	session: ClassificationSession,
	selection: ExpertSelection,
	maxFileBytes: number,
	isInterrupted: () => boolean,
	progress: BreakdownProgress = {}
): Promise<BreakdownRun> {
	const rows: RepositoryRow[] = [];
	const warnings: string[] = [];
	const classify = (input: { fileName: string; content: string }) =>
		session.classify({ fileName: input.fileName, content: input.content }, selection);
	for (const root of roots) {
		const folder = await repositoryFiles(root, maxFileBytes);
		for (const problem of folder.problems)
			rows.push({ path: problem.path, bytes: 0, language: null, exclusion: null, problem: problem.problem });
		warnings.push(...folder.git.warnings.map((w) => `${root}: ${w}`));
		progress.onFolder?.(root, folder.files.length);
		try {
			for await (const row of scanRepositoryFolder(folder, classify)) {
				rows.push({ ...row, path: path.join(root, row.path) });
				progress.onFile?.();
				if (isInterrupted()) break;
			}
		} finally {
			progress.onFolderDone?.();
		}
		if (isInterrupted()) return { rows, breakdown: languageBreakdown(rows), warnings, interrupted: true };
	}
	return { rows, breakdown: languageBreakdown(rows), warnings, interrupted: false };
}
