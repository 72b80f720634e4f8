// Expert's repository breakdown beside a reference tool's on the same tree: each language's share of the bar
// on both sides, the languages above 5% whose shares differ by more than 2 points, and every file the two
// count differently (another language, or counted by one and left out by the other), with Expert's reason, grouped
// for each off language; and the eval report's markdown for it. Pure: both sides come in as per-file answers.
import { barLanguageOf, type BreakdownInput } from '../classify/language-breakdown.ts';

/** One tool's view of a file: the language it counts the file under in the bar, or null when it does not count it. */
export interface CountedFile {
	path: string;
	bytes: number;
	barLanguage: string | null;
	/** Why this tool gives that answer (Expert's evidence or exclusion reason). */
	why?: string;
}

export interface LanguageShareRow {
	language: string;
	expert: number;
	reference: number;
}

export interface BreakdownComparison {
	tree: string;
	reference: string;
	/** Every language either side counts, by the larger share. Percentages of each side's bar bytes, 2 decimals. */
	shares: LanguageShareRow[];
	/** Languages above 5% (on either side) whose shares differ by more than 2 points. */
	offBy: LanguageShareRow[];
	/** Files counted differently: path, bytes, Expert's bar language and why, the reference's. */
	differingFiles: Array<{
		path: string;
		bytes: number;
		expert: string | null;
		expertWhy?: string;
		reference: string | null;
	}>;
	files: number;
}

const round2 = (x: number) => Math.round(100 * x) / 100;

function shareTable(files: readonly CountedFile[]): Map<string, number> {
	const bytes = new Map<string, number>();
	let total = 0;
	for (const f of files) {
		if (!f.barLanguage) continue;
		bytes.set(f.barLanguage, (bytes.get(f.barLanguage) ?? 0) + f.bytes);
		total += f.bytes;
	}
	return new Map([...bytes].map(([language, b]) => [language, total > 0 ? round2((100 * b) / total) : 0]));
}

/** A reference tool's answer for a file (its language, null when it leaves the file out) as the bar counts it. */
export function referenceCounted(file: { path: string; bytes: number }, language: string | null): CountedFile {
	return { path: file.path, bytes: file.bytes, barLanguage: barLanguageOf({ language, exclusion: null }) };
}

/** Expert's rows as the bar counts them, with why each file is counted that way. */
export function expertCounted(rows: ReadonlyArray<BreakdownInput & { why?: string }>): CountedFile[] {
	return rows.map((row) => ({ path: row.path, bytes: row.bytes, barLanguage: barLanguageOf(row), why: row.why }));
}

export function compareBreakdowns(
	tree: string,
	reference: string,
	expert: readonly CountedFile[],
	theirs: readonly CountedFile[]
): BreakdownComparison {
	const ours = shareTable(expert);
	const refs = shareTable(theirs);
	const shares = [...new Set([...ours.keys(), ...refs.keys()])]
		.map((language) => ({ language, expert: ours.get(language) ?? 0, reference: refs.get(language) ?? 0 }))
		.sort(
			(a, b) =>
				Math.max(b.expert, b.reference) - Math.max(a.expert, a.reference) || a.language.localeCompare(b.language)
		);
	const offBy = shares.filter((s) => Math.max(s.expert, s.reference) > 5 && Math.abs(s.expert - s.reference) > 2);
	const theirsByPath = new Map(theirs.map((f) => [f.path, f]));
	const differingFiles = expert
		.map((f) => ({ f, r: theirsByPath.get(f.path) }))
		.filter(({ f, r }) => (r?.barLanguage ?? null) !== f.barLanguage)
		.map(({ f, r }) => ({
			path: f.path,
			bytes: f.bytes,
			expert: f.barLanguage,
			expertWhy: f.why,
			reference: r?.barLanguage ?? null
		}))
		.sort((a, b) => b.bytes - a.bytes);
	return { tree, reference, shares, offBy, differingFiles, files: expert.length };
}

export interface BreakdownTreeReport {
	tree: string;
	files: number;
	/** Files per second of each tool on this tree (Expert: read, rules and classification). */
	filesPerSecond: Record<string, number>;
	comparisons: BreakdownComparison[];
}

export interface BreakdownEvalReport {
	trees: BreakdownTreeReport[];
	notes: string[];
}

const SHOWN_FILES = 12;
const SHOWN_GROUPS = 6;

/**
 * Files that move bytes between the languages a comparison finds off (or, when none of their own files differ, the
 * files that change the total), grouped by (Expert's language, the reference's, extension).
 */
export interface DifferenceGroup {
	expert: string | null;
	reference: string | null;
	extension: string;
	files: number;
	bytes: number;
	/** The largest file of the group, with Expert's reason for it. */
	example: { path: string; expertWhy?: string };
}

export function offLanguageGroups(comparison: BreakdownComparison): DifferenceGroup[] {
	const off = new Set(comparison.offBy.map((s) => s.language));
	const touchingOff = comparison.differingFiles.filter(
		(file) => off.has(file.expert ?? '') || off.has(file.reference ?? '')
	);
	// When no file of an off language is counted differently, its share moved because other files changed the total.
	const moving = touchingOff.length > 0 ? touchingOff : comparison.differingFiles;
	const groups = new Map<string, DifferenceGroup>();
	for (const file of moving) {
		const name = file.path.slice(file.path.lastIndexOf('/') + 1);
		const extension = name.includes('.', 1) ? name.slice(name.lastIndexOf('.')) : '(none)';
		const key = JSON.stringify([file.expert, file.reference, extension]);
		const group = groups.get(key) ?? {
			expert: file.expert,
			reference: file.reference,
			extension,
			files: 0,
			bytes: 0,
			example: { path: file.path, expertWhy: file.expertWhy }
		};
		group.files += 1;
		group.bytes += file.bytes;
		groups.set(key, group);
	}
	return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}

const percent = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));

/** The report's markdown for the breakdown rows. */
export function breakdownMarkdown(report: BreakdownEvalReport): string[] {
	if (report.trees.length === 0) return [];
	const lines = ['## Repository breakdown beside Linguist', ''];
	lines.push(
		"Each tree read as a repository: vendored, documentation, generated and .gitignore'd files left out, the bar counting programming and markup bytes per language group. A language is off when it is above 5% on either side and the shares differ by more than 2 points; every off language is explained below by the files that move its bytes, with Expert's reason.",
		''
	);
	lines.push(
		'| tree | files | reference | languages off by > 2 points (Expert / reference %) | files counted differently | files/s (Expert / reference) |',
		'|---|---|---|---|---|---|'
	);
	for (const tree of report.trees) {
		for (const c of tree.comparisons) {
			const off =
				c.offBy.length === 0
					? 'none'
					: c.offBy.map((s) => `${s.language} ${s.expert.toFixed(1)} / ${s.reference.toFixed(1)}`).join('; ');
			lines.push(
				`| ${tree.tree} | ${tree.files} | ${c.reference} | ${off} | ${c.differingFiles.length} | ${tree.filesPerSecond.Expert.toFixed(1)} / ${tree.filesPerSecond[c.reference].toFixed(1)} |`
			);
		}
	}
	const within = report.trees.filter((tree) => tree.comparisons.some((c) => c.offBy.length === 0)).length;
	lines.push(
		'',
		`Within 2 points of at least one Linguist on every language above 5%: ${within} of ${report.trees.length} trees.`,
		''
	);
	for (const tree of report.trees) {
		const references = tree.comparisons.map((c) => c.reference);
		const byLanguage = tree.comparisons.map((c) => new Map(c.shares.map((s) => [s.language, s])));
		const languages = [
			...new Set(
				tree.comparisons.flatMap((c) =>
					c.shares.filter((s) => Math.max(s.expert, s.reference) >= 0.5).map((s) => s.language)
				)
			)
		];
		lines.push(
			`### ${tree.tree}`,
			'',
			`| language | Expert % | ${references.map((r) => `${r} %`).join(' | ')} |`,
			`|---|---|${references.map(() => '---|').join('')}`
		);
		for (const language of languages) {
			const expert = byLanguage.map((shares) => shares.get(language)?.expert).find((value) => value !== undefined);
			lines.push(
				`| ${language} | ${percent(expert)} | ${byLanguage.map((shares) => percent(shares.get(language)?.reference)).join(' | ')} |`
			);
		}
		for (const c of tree.comparisons.filter((comparison) => comparison.offBy.length > 0)) {
			lines.push(
				'',
				`What moves ${c.offBy.map((s) => s.language).join(', ')} off ${c.reference}'s share (files counted differently, by Expert's language → ${c.reference}'s, largest first):`,
				''
			);
			for (const g of offLanguageGroups(c).slice(0, SHOWN_GROUPS)) {
				lines.push(
					`- ${g.expert ?? 'not in the bar'} → ${g.reference ?? 'not in the bar'}, ${g.extension}: ${g.files} files, ${g.bytes} B; e.g. \`${g.example.path}\`${g.example.expertWhy ? ` (${g.example.expertWhy})` : ''}`
				);
			}
		}
		const last = tree.comparisons[tree.comparisons.length - 1];
		if (last.differingFiles.length > 0) {
			lines.push(
				'',
				`Files counted differently from ${last.reference} (largest ${Math.min(SHOWN_FILES, last.differingFiles.length)} of ${last.differingFiles.length}):`,
				''
			);
			for (const d of last.differingFiles.slice(0, SHOWN_FILES))
				lines.push(
					`- \`${d.path}\` (${d.bytes} B): Expert ${d.expert ?? 'not in the bar'}${d.expertWhy ? ` (${d.expertWhy})` : ''}; ${last.reference} ${d.reference ?? 'not in the bar'}`
				);
		}
		lines.push('');
	}
	lines.push(...report.notes.map((n) => `Note: ${n}.`), '');
	return lines;
}
