// `expert classify <folders> --breakdown`: each folder read as a repository (lib/classify/repository-scan.ts)
// and its language breakdown printed as GitHub's bar counts it — a table, or --json in linguist-js's shape
// with every file's answer — with every excluded and unclassified file and why.
import { SingleBar } from 'cli-progress';
import path from 'node:path';
import type { ClassificationSession, ClassifiedDocument } from '../../lib/classify/classification-session.ts';
import type { ExpertSelection } from '../../lib/classify/expert-selection.ts';
import {
	languageBreakdown,
	type LanguageBreakdown,
	type LanguageShare
} from '../../lib/classify/language-breakdown.ts';
import { repositoryFiles, scanRepositoryFolder } from '../../lib/classify/repository-files-fs.ts';
import type { RepositoryRow } from '../../lib/classify/repository-scan.ts';
import { printJson } from '../run-cli.ts';

export interface BreakdownRun {
	rows: RepositoryRow[];
	breakdown: LanguageBreakdown;
	/** .gitattributes lines that could not be used. */
	warnings: string[];
	interrupted: boolean;
}

/** Scans every folder (paths shown relative to the current folder), row by row, with a progress bar on a terminal. */
export async function runBreakdown(
	roots: string[],
	session: ClassificationSession,
	selection: ExpertSelection,
	maxFileBytes: number,
	isInterrupted: () => boolean
): Promise<BreakdownRun> {
	const rows: RepositoryRow[] = [];
	const warnings: string[] = [];
	for (const root of roots) {
		const folder = await repositoryFiles(root, maxFileBytes);
		const { files, problems, git } = folder;
		for (const problem of problems)
			rows.push({ path: problem.path, bytes: 0, language: null, exclusion: null, problem: problem.problem });
		warnings.push(...git.warnings.map((w) => `${root}: ${w}`));
		const bar = new SingleBar({
			format: `${root} [{bar}] {value}/{total} files | ETA {eta_formatted}`,
			stream: process.stderr,
			hideCursor: true
		});
		const showBar = process.stderr.isTTY && files.length > 1;
		if (showBar) bar.start(files.length, 0);
		const classify = (input: { path: string; fileName: string; content: string }) =>
			session.classify({ fileName: input.fileName, content: input.content }, selection);
		try {
			for await (const row of scanRepositoryFolder(folder, classify)) {
				rows.push({ ...row, path: path.join(root, row.path) });
				if (showBar) bar.increment();
				if (isInterrupted()) break;
			}
		} finally {
			if (showBar) bar.stop();
		}
		if (isInterrupted()) return { rows, breakdown: languageBreakdown(rows), warnings, interrupted: true };
	}
	return { rows, breakdown: languageBreakdown(rows), warnings, interrupted: false };
}

const grouped = (n: number) => n.toLocaleString('en-US');
const BAR_WIDTH = 24;

function shareLine(share: LanguageShare, withPercentage: boolean, width: number): string {
	const blocks = withPercentage ? '█'.repeat(Math.round((share.percentage / 100) * BAR_WIDTH)) : '';
	const percentage = withPercentage ? `${share.percentage.toFixed(2).padStart(6)}%` : ''.padStart(7);
	return `${share.language.padEnd(width)} ${grouped(share.bytes).padStart(12)} ${String(share.files).padStart(7)}  ${percentage}  ${blocks}`.trimEnd();
}

/** The table: the bar's languages, the rest apart, then every excluded and unclassified file with why. */
export function printBreakdownTable(run: BreakdownRun): void {
	const { breakdown } = run;
	const width = Math.max(8, ...[...breakdown.bar, ...breakdown.notCounted].map((share) => share.language.length));
	const out: string[] = [
		`${'language'.padEnd(width)} ${'bytes'.padStart(12)} ${'files'.padStart(7)}  ${'share'.padStart(7)}`,
		'-'.repeat(width + 30)
	];
	out.push(...breakdown.bar.map((share) => shareLine(share, true, width)));
	if (breakdown.bar.length === 0) out.push('(no programming or markup language found)');
	if (breakdown.notCounted.length > 0)
		out.push(
			'',
			'not in the bar (data, prose, or linguist-detectable=false):',
			...breakdown.notCounted.map((share) => shareLine(share, false, width))
		);
	if (breakdown.excluded.length > 0)
		out.push(
			'',
			`excluded (${breakdown.excluded.length} files):`,
			...breakdown.excluded.map((e) => `  ${e.path}  ${e.kind}: ${e.reason}`)
		);
	if (breakdown.unclassified.length > 0)
		out.push(
			'',
			`not classified (${breakdown.unclassified.length} files):`,
			...breakdown.unclassified.map((u) => `  ${u.path}: ${u.problem}`)
		);
	out.push(...run.warnings.map((w) => `warning: ${w}`));
	const t = breakdown.totals;
	out.push(
		'',
		`${run.interrupted ? 'interrupted: ' : ''}${t.files} files, ${grouped(t.bytes)} bytes; the bar counts ${grouped(t.barBytes)} bytes in ${breakdown.bar.length} languages`
	);
	process.stdout.write(`${out.join('\n')}\n`);
}

const shares = (list: readonly LanguageShare[]) => ({
	count: list.length,
	bytes: list.reduce((sum, s) => sum + s.bytes, 0),
	results: Object.fromEntries(
		list.map((s) => [
			s.language,
			{ type: s.type, bytes: s.bytes, files: s.files, percentage: s.percentage, color: s.color }
		])
	)
});

/** --json: linguist-js's top-level shape (files, languages, unknown → excluded / unclassified), plus every file's answer. */
export function printBreakdownJson(
	run: BreakdownRun,
	answerJson: (row: { path: string } & ClassifiedDocument) => unknown
): void {
	const { breakdown, rows } = run;
	const counted = rows.filter((r) => r.language !== null && !r.exclusion);
	printJson({
		languages: shares(breakdown.bar),
		notCounted: shares(breakdown.notCounted),
		files: {
			count: counted.length,
			bytes: counted.reduce((sum, r) => sum + r.bytes, 0),
			results: Object.fromEntries(counted.map((r) => [r.path, r.language]))
		},
		excluded: {
			count: breakdown.excluded.length,
			bytes: breakdown.excluded.reduce((s, e) => s + e.bytes, 0),
			results: Object.fromEntries(breakdown.excluded.map((e) => [e.path, { kind: e.kind, reason: e.reason }]))
		},
		unclassified: {
			count: breakdown.unclassified.length,
			results: Object.fromEntries(breakdown.unclassified.map((u) => [u.path, u.problem]))
		},
		answers: counted.map((r) =>
			r.answer
				? answerJson({ path: r.path, ...r.answer })
				: { path: r.path, language: r.language, evidence: { language: r.languageFrom } }
		),
		warnings: run.warnings,
		interrupted: run.interrupted
	});
}
