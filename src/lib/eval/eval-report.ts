// The evaluation report: what `npm run eval` measured, as JSON (for scripts and later comparison) and
// as a markdown page with the headline accuracies, the comparison of expert sets, the per-language table
// and the confusion matrix.
import { languageIdMarkdown, type LanguageIdSetReport } from './language-id-eval.ts';
import { breakdownMarkdown, type BreakdownEvalReport } from './breakdown-comparison.ts';
import type { ClassificationMetrics } from './classification-metrics.ts';
import type { CodeExpertGain } from './code-expert-gains.ts';
import type { GenerationCheckResult } from './generation-checks.ts';

export interface ComparisonRow {
	name: string;
	experts: string[];
	files: number;
	typeAccuracy: number;
	languageAccuracy: number;
	technologiesF1: number;
	msPerFile: number;
}

/** A file whose answer under an expert set differs from the default set's ("language / type" each). */
export interface StackingDiff {
	configuration: string;
	path: string;
	truth: string;
	reference: string;
	answer: string;
}

export interface Tally {
	files: number;
	right: number;
}

export interface SideBySideRow {
	tool: string;
	overall: Tally;
	tiers: Record<string, Tally>;
	groups: Record<string, Tally>;
}

/** Several tools' language top-1 on the same files in the same run. */
export interface SideBySide {
	name: string;
	files: number;
	rows: SideBySideRow[];
	/** Files Expert gets wrong and linguist-js right. */
	losses: Array<{ path: string; truth: string; expert: string; linguistJs: string }>;
	linguistJsMs: number;
}

export interface EvalReport {
	date: string;
	model: string;
	precision: string;
	heldOutFiles: number;
	linguistData: { languages: string; heuristics: string };
	headline: ClassificationMetrics & { name: string; msPerFile: number };
	sideBySide: SideBySide[];
	/** Model-decided slices, content-only rows beside guesslang and Linguist's classifier, calibration (absent in older reports). */
	languageId?: LanguageIdSetReport[];
	breakdown?: BreakdownEvalReport;
	/** The 4-bit base against fp32 on the held-out files (null when the run was not fp32). */
	q4Agreement: { files: number; sameAnswers: number; modelDecided: number; sameModelDecided: number } | null;
	comparisons: ComparisonRow[];
	comparisonFiles: number;
	/** Files where an expert set answered differently from the default set (absent in older reports). */
	stackingDiffs?: StackingDiff[];
	/** What python-code and rust-code add on real files of their language (absent without the code-expert set). */
	codeExperts?: CodeExpertGain[];
	generation: Record<string, GenerationCheckResult & { experts: string[] }>;
	/** Perplexity of held-out English prose per expert set (absent in reports made before it was measured). */
	english?: Array<{ name: string; perplexity: number; tokens: number; texts: number }>;
	bench: Record<string, number | string>;
	errors: Array<{ path: string; truth: string; answer: string; evidence: string }>;
}

const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const decimal = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));

/** A titled markdown table, or nothing when the run skipped it (no rows). */
function section(title: string, columns: string[], rows: string[][]): string[] {
	if (rows.length === 0) return [];
	return [
		`## ${title}`,
		'',
		`| ${columns.join(' | ')} |`,
		`|${columns.map(() => '---|').join('')}`,
		...rows.map((row) => `| ${row.join(' | ')} |`),
		''
	];
}

const tallyCell = (tally: Tally | undefined) =>
	tally ? `${pct(tally.right / tally.files)} (${tally.right}/${tally.files})` : '—';

/** One side-by-side comparison: overall and per tier, per ambiguous group, and the files Expert loses. */
function sideBySideMarkdown(comparison: SideBySide): string[] {
	const tools = comparison.rows.map((row) => row.tool);
	const keys = (field: 'tiers' | 'groups') =>
		[...new Set(comparison.rows.flatMap((row) => Object.keys(row[field])))].sort();
	const table = (label: string, names: string[], cell: (row: SideBySideRow, name: string) => Tally | undefined) =>
		section(
			`${label} — ${comparison.name}`,
			['slice', ...tools],
			names.map((name) => [name, ...comparison.rows.map((row) => tallyCell(cell(row, name)))])
		);
	return [
		...table('Language top-1, side by side', ['all files', ...keys('tiers')], (row, name) =>
			name === 'all files' ? row.overall : row.tiers[name]
		),
		...table('Ambiguous extensions', keys('groups'), (row, name) => row.groups[name]),
		`linguist-js took ${comparison.linguistJsMs.toFixed(0)} ms for the ${comparison.files} files (one call).`,
		'',
		...section(
			`Files Expert gets wrong and linguist-js right (${comparison.losses.length})`,
			['file', 'truth', 'Expert', 'linguist-js'],
			comparison.losses.map((l) => [l.path, l.truth, l.expert, l.linguistJs])
		)
	];
}

export function evalMarkdown(report: EvalReport): string {
	const h = report.headline;
	const lines = [
		`# Classification evaluation`,
		'',
		`${report.date} — base model ${report.model} (${report.precision}); ${report.heldOutFiles} held-out linguist files (the eval side of the split, never trained on).`,
		'',
		`## Headline: ${h.name}`,
		'',
		'| field | score |',
		'|---|---|',
		`| language top-1 accuracy | ${pct(h.languageAccuracy)} |`,
		`| type accuracy | ${pct(h.typeAccuracy)} |`,
		`| technologies micro-F1 (precision / recall) | ${h.technologies.f1.toFixed(3)} (${h.technologies.precision.toFixed(3)} / ${h.technologies.recall.toFixed(3)}) |`,
		`| technologies exact-set accuracy | ${pct(h.technologies.exactSetAccuracy)} |`,
		`| median time per file | ${h.msPerFile.toFixed(1)} ms |`,
		'',
		"Labels: language = the corpus folder (Linguist's own sample labels); type = the taxonomy's table over that language and the file name",
		'(so type accuracy follows language accuracy); technologies = datasets/eval/heldout-technologies.jsonl, made by reading each file,',
		'independent of the detector.',
		`Linguist data: ${report.linguistData.languages}; ${report.linguistData.heuristics}.`,
		'',
		...report.sideBySide.flatMap(sideBySideMarkdown),
		...languageIdMarkdown(report.languageId ?? []),
		...(report.breakdown ? breakdownMarkdown(report.breakdown) : []),
		...(report.q4Agreement
			? [
					`4-bit base (q4) against fp32, same experts: the same answer on ${report.q4Agreement.sameAnswers} of ${report.q4Agreement.files} held-out files` +
						` (${pct(report.q4Agreement.sameAnswers / report.q4Agreement.files)}); on the ${report.q4Agreement.modelDecided} the model decides, ${report.q4Agreement.sameModelDecided}.`,
					''
				]
			: []),
		...section(
			`Composition: does stacking help? (${report.comparisonFiles} held-out files)`,
			['expert set', 'experts', 'language', 'type', 'technologies F1', 'ms/file'],
			report.comparisons.map((c) => [
				c.name,
				c.experts.join(', ') || '—',
				pct(c.languageAccuracy),
				pct(c.typeAccuracy),
				decimal(c.technologiesF1),
				c.msPerFile.toFixed(1)
			])
		),
		...section(
			`Where stacking changed an answer (${(report.stackingDiffs ?? []).length} file × set pairs; against the default set)`,
			['expert set', 'file', 'truth', 'default', 'this set'],
			(report.stackingDiffs ?? []).map((d) => [d.configuration, d.path, d.truth, d.reference, d.answer])
		),
		...section(
			'Code experts on their own files (real Debian package sources; perplexity over the first 256 tokens, lower is better; snippet = file name withheld, the model decides)',
			['expert', 'files', 'perplexity without → with', 'snippet language without → with', 'answers changed'],
			(report.codeExperts ?? []).map((g) => [
				`${g.expert} (${g.language})`,
				String(g.files),
				`${g.perplexity.without.toFixed(1)} → ${g.perplexity.with.toFixed(1)}`,
				`${pct(g.snippetAccuracy.without)} → ${pct(g.snippetAccuracy.with)}`,
				String(g.changed.length)
			])
		),
		...section(
			'What the experts write',
			['check', 'experts', 'prompts', 'valid', 'rate', 'content', 'decode tok/s'],
			Object.entries(report.generation).map(([name, g]) => [
				name,
				g.experts.join(', ') || '—',
				String(g.prompts),
				String(g.valid),
				pct(g.rate),
				g.content === null || g.content === undefined ? '—' : pct(g.content),
				g.tokensPerSecond ? g.tokensPerSecond.toFixed(0) : '—'
			])
		),
		...section(
			'English prose perplexity (held-out paragraphs, lower is better)',
			['experts', 'paragraphs', 'tokens', 'perplexity'],
			(report.english ?? []).map((e) => [e.name, String(e.texts), String(e.tokens), e.perplexity.toFixed(1)])
		),
		'## Runtime figures (Node, CPU)',
		'',
		'| measure | value |',
		'|---|---|',
		...Object.entries(report.bench).map(([name, value]) => `| ${name} | ${value} |`),
		'',
		'## Language confusion (most frequent languages)',
		'',
		'![language confusion](language-confusion.svg)',
		'',
		'## Per language',
		'',
		'| language | files | predicted | precision | recall | F1 |',
		'|---|---|---|---|---|---|',
		...h.perLanguage.map(
			(c) =>
				`| ${c.label} | ${c.support} | ${c.predicted} | ${c.precision.toFixed(2)} | ${c.recall.toFixed(2)} | ${c.f1.toFixed(2)} |`
		),
		'',
		`## Language errors (${report.errors.length})`,
		'',
		'| file | truth | answer | evidence |',
		'|---|---|---|---|',
		...report.errors.map((e) => `| ${e.path} | ${e.truth} | ${e.answer} | ${e.evidence} |`),
		''
	];
	return lines.join('\n');
}
