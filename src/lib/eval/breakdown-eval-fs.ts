// The breakdown rows of `expert eval`: each real project tree read as a repository by Expert
// (lib/classify/repository-scan.ts), by linguist-js and, when installed, by GitHub Linguist, compared by
// breakdown-comparison.ts, with each tool's files/s. Node only.
import type { ClassificationSession } from '../classify/classification-session.ts';
import type { ExpertSelection } from '../classify/expert-selection.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../classify/file-input-policy.ts';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';
import { repositoryFiles, scanRepositoryFolder } from '../classify/repository-files-fs.ts';
import { rowReason, type RepositoryRow } from '../classify/repository-scan.ts';
import {
	compareBreakdowns,
	expertCounted,
	type BreakdownEvalReport,
	type BreakdownTreeReport
} from './breakdown-comparison.ts';
import { githubLinguistBreakdown, githubLinguistProblem } from './github-linguist-breakdown-fs.ts';
import { linguistJsBreakdown } from './linguist-js-breakdown-fs.ts';

export async function breakdownEval(
	session: ClassificationSession,
	selection: ExpertSelection,
	heuristics: LinguistHeuristics,
	trees: ReadonlyArray<{ name: string; root: string }>,
	log: (line: string) => void
): Promise<BreakdownEvalReport> {
	const problem = githubLinguistProblem();
	const notes = problem ? [`GitHub Linguist's column: not run (${problem})`] : [];
	const reports: BreakdownTreeReport[] = [];
	for (const tree of trees) {
		log(`breakdown: ${tree.name}`);
		const started = performance.now();
		const folder = await repositoryFiles(tree.root, DEFAULT_MAX_FILE_BYTES);
		const rows: RepositoryRow[] = [];
		for await (const row of scanRepositoryFolder(folder, (input) => session.classify(input, selection))) rows.push(row);
		const expertSeconds = (performance.now() - started) / 1000;
		const ours = expertCounted(rows.map((row) => ({ ...row, why: rowReason(row) })));
		const linguistJs = await linguistJsBreakdown(heuristics, tree.root, rows);
		const comparisons = [compareBreakdowns(tree.name, 'linguist-js', ours, linguistJs.files)];
		const filesPerSecond: Record<string, number> = {
			Expert: rows.length / expertSeconds,
			'linguist-js': (1000 * rows.length) / linguistJs.milliseconds
		};
		if (!problem) {
			const github = await githubLinguistBreakdown(heuristics, tree.root, rows);
			comparisons.push(compareBreakdowns(tree.name, 'GitHub Linguist', ours, github.files));
			filesPerSecond['GitHub Linguist'] = (1000 * rows.length) / github.milliseconds;
		}
		reports.push({ tree: tree.name, files: rows.length, filesPerSecond, comparisons });
	}
	return { trees: reports, notes };
}
