// `expert classify <folders> --breakdown`: each folder read as a repository and its language breakdown printed
// as GitHub's bar counts it — a table, or --json in linguist-js's shape with every file's answer — with every
// excluded and unclassified file and why; a progress bar with ETA on a terminal; Ctrl-C keeps what was read.
import { stat } from 'node:fs/promises';
import { breakdownDocument } from '../../lib/classify/breakdown-document.ts';
import { runBreakdown } from '../../lib/classify/breakdown-run-fs.ts';
import type { ClassificationSession } from '../../lib/classify/classification-session.ts';
import type { ExpertSelection } from '../../lib/classify/expert-selection.ts';
import { ExpertError } from '../../lib/errors.ts';
import { breakdownTable } from '../breakdown-table.ts';
import { answerJson } from '../../lib/classify/answer-json.ts';
import { interruptible } from '../interruptible.ts';
import { printJson } from '../run-cli.ts';
import { fileProgress } from '../file-progress.ts';

/** Refuses what --breakdown cannot take, before the model loads. */
export async function checkBreakdownRequest(paths: string[], unsupported: boolean): Promise<void> {
	if (unsupported)
		throw new ExpertError(
			'bad-option',
			'--breakdown reads folders: it takes neither standard input, --name, --csv nor --jsonl (use --json)'
		);
	if (paths.length === 0)
		throw new ExpertError('no-input', '--breakdown needs a folder: expert classify my-repo/ --breakdown');
	for (const given of paths) {
		const info = await stat(given).catch(() => null);
		if (!info) throw new ExpertError('missing-input', `${given}: no such folder`);
		if (!info.isDirectory())
			throw new ExpertError('bad-input', `${given}: --breakdown reads a folder (a repository), not a file`);
	}
}

export async function breakdownCommand(
	paths: string[],
	session: ClassificationSession,
	selection: ExpertSelection,
	options: { maxFileBytes: number; json?: boolean }
): Promise<void> {
	const bar = fileProgress((files) => process.stderr.isTTY && files > 1);
	const run = await interruptible((isInterrupted) =>
		runBreakdown(paths, session, selection, options.maxFileBytes, isInterrupted, {
			onFolder: (root, files) => bar.start(files, root),
			onFile: () => bar.tick(),
			onFolderDone: () => bar.stop()
		})
	);
	if (options.json) printJson(breakdownDocument(run, answerJson));
	else process.stdout.write(breakdownTable(run));
	if (run.interrupted) process.exitCode = 130;
}
