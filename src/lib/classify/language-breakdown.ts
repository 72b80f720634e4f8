// A repository's language breakdown the way GitHub's language bar counts it: bytes and files per language
// group (TSX under TypeScript), percentages of the bar's bytes; programming and markup count unless a
// .gitattributes linguist-detectable says otherwise; the rest listed apart, excluded files with their reasons.
// Browser-safe and pure.
import type { Exclusion } from './repository-exclusions.ts';
import { languageFacts, type LanguageType } from './linguist-names.ts';

export interface BreakdownInput {
	path: string;
	bytes: number;
	/** The file's language; null when it was not classified (binary, unreadable: see `problem`). */
	language: string | null;
	exclusion: Exclusion | null;
	/** .gitattributes linguist-detectable, when a line decides it. */
	detectable?: boolean;
	problem?: string;
}

export interface LanguageShare {
	language: string;
	type: LanguageType;
	color: string | null;
	bytes: number;
	files: number;
	/** Of the bar's bytes (0–100, 2 decimals); 0 for languages outside the bar. */
	percentage: number;
}

export interface LanguageBreakdown {
	/** The languages GitHub's bar shows, most bytes first. */
	bar: LanguageShare[];
	/** Classified, not excluded, but not counted in the bar (data, prose, or linguist-detectable=false). */
	notCounted: LanguageShare[];
	excluded: Array<{ path: string; bytes: number } & Exclusion>;
	/** Files not classified (binary, unreadable, too large), with why. */
	unclassified: Array<{ path: string; bytes: number; problem: string }>;
	totals: { files: number; bytes: number; barBytes: number };
}

const BAR_TYPES: readonly LanguageType[] = ['programming', 'markup'];

/** The group a classified file's bytes count under, and whether GitHub's bar shows it (linguist-detectable, else the type). */
export function countedAs(language: string, detectable?: boolean): { group: string; inBar: boolean } {
	const facts = languageFacts(language);
	return { group: facts?.group ?? language, inBar: detectable ?? BAR_TYPES.includes(facts?.type ?? 'data') };
}

/** The bar language a file counts under, or null when the bar leaves it out (excluded, unknown, data, prose). */
export function barLanguageOf(file: Pick<BreakdownInput, 'language' | 'exclusion' | 'detectable'>): string | null {
	if (file.exclusion || file.language === null) return null;
	const { group, inBar } = countedAs(file.language, file.detectable);
	return inBar ? group : null;
}

export function languageBreakdown(files: readonly BreakdownInput[]): LanguageBreakdown {
	const counted = new Map<string, LanguageShare>();
	const apart = new Map<string, LanguageShare>();
	const breakdown: LanguageBreakdown = {
		bar: [],
		notCounted: [],
		excluded: [],
		unclassified: [],
		totals: { files: files.length, bytes: 0, barBytes: 0 }
	};
	for (const file of files) {
		breakdown.totals.bytes += file.bytes;
		if (file.exclusion) breakdown.excluded.push({ path: file.path, bytes: file.bytes, ...file.exclusion });
		else if (file.language === null)
			breakdown.unclassified.push({ path: file.path, bytes: file.bytes, problem: file.problem ?? 'not classified' });
		else {
			const { group, inBar } = countedAs(file.language, file.detectable);
			const groupFacts = languageFacts(group);
			const table = inBar ? counted : apart;
			const share = table.get(group) ?? {
				language: group,
				type: groupFacts?.type ?? 'data',
				color: groupFacts?.color ?? null,
				bytes: 0,
				files: 0,
				percentage: 0
			};
			share.bytes += file.bytes;
			share.files += 1;
			table.set(group, share);
		}
	}
	const byBytes = (a: LanguageShare, b: LanguageShare) => b.bytes - a.bytes || a.language.localeCompare(b.language);
	breakdown.bar = [...counted.values()].sort(byBytes);
	breakdown.notCounted = [...apart.values()].sort(byBytes);
	breakdown.totals.barBytes = breakdown.bar.reduce((sum, share) => sum + share.bytes, 0);
	for (const share of breakdown.bar)
		share.percentage =
			breakdown.totals.barBytes > 0 ? Math.round((10_000 * share.bytes) / breakdown.totals.barBytes) / 100 : 0;
	return breakdown;
}
