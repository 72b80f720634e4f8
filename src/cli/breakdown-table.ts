// `expert classify --breakdown`'s table: the bar's languages with bytes, files, share and a bar of blocks, the
// languages apart, every excluded and unclassified file with why, the warnings and the totals.
import type { BreakdownRun } from '../lib/classify/breakdown-run-fs.ts';
import type { LanguageShare } from '../lib/classify/language-breakdown.ts';

const grouped = (n: number) => n.toLocaleString('en-US');
const BAR_WIDTH = 24;

function shareLine(share: LanguageShare, withPercentage: boolean, width: number): string {
	const blocks = withPercentage ? '█'.repeat(Math.round((share.percentage / 100) * BAR_WIDTH)) : '';
	const percentage = withPercentage ? `${share.percentage.toFixed(2).padStart(6)}%` : ''.padStart(7);
	return `${share.language.padEnd(width)} ${grouped(share.bytes).padStart(12)} ${String(share.files).padStart(7)}  ${percentage}  ${blocks}`.trimEnd();
}

export function breakdownTable(run: BreakdownRun): string {
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
	return `${out.join('\n')}\n`;
}
