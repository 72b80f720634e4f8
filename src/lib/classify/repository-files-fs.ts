// A folder on disk as a repository for repository-scan.ts: every file under it (only .git skipped), with its
// path relative to the folder, its size, and a reader of its head under the classifier's file policy.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { collectFiles, readInput, type SkippedInput } from './file-inputs-fs.ts';
import type { RepositoryFile } from './repository-scan.ts';

/** The folder's files in walk order, and the paths that could not be listed (with why). */
export async function repositoryFiles(root: string, maxFileBytes: number): Promise<{ files: RepositoryFile[]; problems: SkippedInput[] }> {
	const { files, problems } = await collectFiles([root], 'repository');
	const listed: RepositoryFile[] = [];
	for (const file of files) {
		const bytes = await stat(file).then((info) => info.size, () => 0);
		listed.push({
			path: path.relative(root, file).split(path.sep).join('/'),
			bytes,
			read: async () => {
				const input = await readInput(file, maxFileBytes);
				return 'problem' in input ? { problem: input.problem } : { content: input.content };
			}
		});
	}
	return { files: listed, problems };
}
