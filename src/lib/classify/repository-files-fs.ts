// A folder on disk as a repository for repository-scan.ts: every file under it (only .git skipped), with its
// path relative to the folder, its size and a reader of its head under the classifier's file policy; its Git rules;
// and the scan with Linguist's data as Node loads it (what `--breakdown`, the eval and the bench all read).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClassifiedDocument } from './classification-session.ts';
import { collectFiles, readInput, type SkippedInput } from './file-inputs-fs.ts';
import type { GitRules } from './git-rules.ts';
import { nodeLinguistHeuristics, nodeLinguistPathRules } from './linguist-heuristics-fs.ts';
import { gitRulesOf, scanRepository, type RepositoryFile, type RepositoryRow } from './repository-scan.ts';

export interface RepositoryFolder {
	/** In walk order. */
	files: RepositoryFile[];
	/** Paths that could not be listed, or links, with why. */
	problems: SkippedInput[];
	git: GitRules;
}

/** Reads the folder's listing and its .gitattributes / .gitignore files (each other file is read when scanned). */
export async function repositoryFiles(root: string, maxFileBytes: number): Promise<RepositoryFolder> {
	const { files, problems } = await collectFiles([root], 'repository');
	const listed: RepositoryFile[] = [];
	for (const file of files) {
		const bytes = await stat(file).then(
			(info) => info.size,
			() => 0
		);
		listed.push({
			path: path.relative(root, file).split(path.sep).join('/'),
			bytes,
			read: async () => {
				const input = await readInput(file, maxFileBytes);
				return 'problem' in input ? { problem: input.problem } : { content: input.content };
			}
		});
	}
	return { files: listed, problems, git: await gitRulesOf(listed) };
}

/** The folder's rows with Linguist's Node data; files Linguist's rules leave without a candidate are unknown, the model not asked. */
export function scanRepositoryFolder(
	folder: RepositoryFolder,
	classify: (input: { path: string; fileName: string; content: string }) => Promise<ClassifiedDocument | null>
): AsyncGenerator<RepositoryRow> {
	return scanRepository(folder.files, nodeLinguistPathRules(), folder.git, classify, {
		unknownByRules: nodeLinguistHeuristics()
	});
}
