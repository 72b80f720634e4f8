// The evaluation report: what `npm run eval` measured, as JSON (for scripts and later comparison) and
// as a markdown page with the headline accuracies, the comparison of expert sets, the per-language table
// and the confusion matrix.
import type { ClassificationMetrics } from './classification-metrics.ts';
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

export interface EvalReport {
	date: string;
	model: string;
	precision: string;
	heldOutFiles: number;
	headline: ClassificationMetrics & { name: string; msPerFile: number };
	comparisons: ComparisonRow[];
	comparisonFiles: number;
	generation: Record<string, GenerationCheckResult & { experts: string[] }>;
	bench: Record<string, number | string>;
	errors: Array<{ path: string; truth: string; answer: string; candidates: string[] }>;
}

const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const decimal = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));

/** A titled markdown table, or nothing when the run skipped it (no rows). */
function section(title: string, columns: string[], rows: string[][]): string[] {
	if (rows.length === 0) return [];
	return [`## ${title}`, '', `| ${columns.join(' | ')} |`, `|${columns.map(() => '---|').join('')}`, ...rows.map((row) => `| ${row.join(' | ')} |`), ''];
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
		`| median time per file | ${h.msPerFile.toFixed(0)} ms |`,
		'',
		...section(`Does stacking help? (${report.comparisonFiles} files)`, ['configuration', 'experts', 'language', 'type', 'technologies F1', 'ms/file'], report.comparisons.map((c) => [c.name, c.experts.join(', ') || '—', pct(c.languageAccuracy), pct(c.typeAccuracy), decimal(c.technologiesF1), c.msPerFile.toFixed(0)])),
		...section('What the experts write', ['check', 'experts', 'prompts', 'valid', 'rate'], Object.entries(report.generation).map(([name, g]) => [name, g.experts.join(', ') || '—', String(g.prompts), String(g.valid), pct(g.rate)])),
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
		...h.perLanguage.map((c) => `| ${c.label} | ${c.support} | ${c.predicted} | ${c.precision.toFixed(2)} | ${c.recall.toFixed(2)} | ${c.f1.toFixed(2)} |`),
		'',
		`## Language errors (${report.errors.length})`,
		'',
		'| file | truth | answer | candidates |',
		'|---|---|---|---|',
		...report.errors.map((e) => `| ${e.path} | ${e.truth} | ${e.answer} | ${e.candidates.join(', ') || 'any'} |`),
		''
	];
	return lines.join('\n');
}
