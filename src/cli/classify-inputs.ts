// What `expert classify` (without --breakdown) is asked to read, checked before the model loads: files under the
// given paths (problems reported, not fatal), standard input when `-` or --stdin says so, and a one-line error
// for a request that cannot work (nothing given, --name without standard input, a terminal as standard input).
import {
	collectFiles,
	isSkipped,
	readStdinInput,
	STDIN_PATH,
	type ReadableInput,
	type SkippedInput
} from '../lib/classify/file-inputs-fs.ts';
import { ExpertError } from '../lib/errors.ts';

export interface ClassifyInputs {
	files: string[];
	/** Given paths that could not be read (missing, dangling links…). */
	problems: SkippedInput[];
	/** The text read from standard input (or why it is skipped), when asked for. */
	stdinInput: ReadableInput | SkippedInput | null;
}

export function readsStdin(paths: string[], stdin: boolean | undefined): boolean {
	return stdin === true || paths.includes(STDIN_PATH);
}

export async function classifyInputs(
	paths: string[],
	options: { stdin?: boolean; name?: string; maxFileBytes: number }
): Promise<ClassifyInputs> {
	const fromStdin = readsStdin(paths, options.stdin);
	if (!fromStdin && paths.length === 0)
		throw new ExpertError(
			'no-input',
			'nothing to classify: give files or folders, or - (or --stdin) to read standard input'
		);
	if (fromStdin && process.stdin.isTTY)
		throw new ExpertError(
			'no-input',
			'standard input is a terminal: pipe the text in (expert classify - < snippet.txt, or pbpaste | expert classify -)'
		);
	const filePaths = paths.filter((p) => p !== STDIN_PATH);
	const { files, problems } = filePaths.length > 0 ? await collectFiles(filePaths) : { files: [], problems: [] };
	if (!fromStdin && files.length === 0 && problems.length === 0)
		throw new ExpertError('no-input', `no files under ${paths.join(', ')}`);
	const stdinInput = fromStdin ? await readStdinInput(process.stdin, options.name ?? '', options.maxFileBytes) : null;
	if (stdinInput && isSkipped(stdinInput) && filePaths.length === 0)
		throw new ExpertError('bad-input', `standard input: ${stdinInput.problem}`);
	return { files, problems, stdinInput };
}
