// The language-id rows of `expert eval`: on each labelled set, the files the model decided with names kept
// (among the evidence's candidates / among all languages, and files with no extension), then the same files
// with names withheld (content only) beside guesslang and GitHub Linguist's classifier, with files/s and the
// calibration of the model's probabilities.
import type { ClassificationSession, ClassifiedDocument } from '../classify/classification-session.ts';
import type { ExpertSelection } from '../classify/expert-selection.ts';
import { calibration, toolAccuracy, type Calibration, type ToolAccuracy } from './content-only.ts';
import { guesslangLanguages } from './guesslang-baseline.ts';
import {
	linguistClassifierLanguages,
	linguistClassifierProblem,
	linguistClassifierVersion
} from './linguist-classifier-baseline-fs.ts';

export interface LanguageIdFile {
	path: string;
	fileName: string;
	content: string;
	language: string;
}

export interface Tally {
	files: number;
	right: number;
}

export interface LanguageIdSetReport {
	name: string;
	/** How the labels were made. */
	labels: string;
	files: number;
	namesKept: { all: Tally; amongCandidates: Tally; amongAll: Tally; noExtension: Tally };
	contentOnly: ToolAccuracy[];
	/** Calibration of the model's top probability with names withheld (every answer is the model's or the content evidence's). */
	calibration: Calibration;
	/** Why an anchor's column is missing (e.g. Ruby's linguist not installed). */
	notes: string[];
}

const tally = (): Tally => ({ files: 0, right: 0 });
const count = (t: Tally, right: boolean) => {
	t.files++;
	t.right += Number(right);
};

/** Names-kept slices from answers the eval already has (classified with names, the same selection). */
function namesKeptSlices(
	files: readonly LanguageIdFile[],
	answers: ReadonlyMap<string, ClassifiedDocument>
): LanguageIdSetReport['namesKept'] {
	const slices = { all: tally(), amongCandidates: tally(), amongAll: tally(), noExtension: tally() };
	for (const file of files) {
		const answer = answers.get(file.path)!;
		const right = answer.classification.language === file.language;
		count(slices.all, right);
		if (answer.evidence.languageBy === 'model')
			count(answer.languageCandidates.length > 0 ? slices.amongCandidates : slices.amongAll, right);
		if (!file.fileName.includes('.')) count(slices.noExtension, right);
	}
	return slices;
}

/** Everything above for one set; `namedAnswers` are the eval's answers for these files with their names kept. */
export async function languageIdSetReport(
	session: ClassificationSession,
	selection: ExpertSelection,
	set: { name: string; labels: string; files: readonly LanguageIdFile[] },
	namedAnswers: ReadonlyMap<string, ClassifiedDocument>,
	log: (line: string) => void = () => {}
): Promise<LanguageIdSetReport> {
	const { files } = set;
	const answers = new Map<string, string>();
	const predictions: Array<{ probability: number; right: boolean; uncertain: boolean }> = [];
	log(`${set.name}: content only, ${files.length} files`);
	const started = performance.now();
	for (const file of files) {
		const answer = await session.classify({ fileName: '', content: file.content }, selection);
		answers.set(file.path, answer.classification.language);
		if (answer.languageRanking)
			predictions.push({
				probability: answer.languageRanking[0].probability,
				right: answer.classification.language === file.language,
				uncertain: answer.uncertain === true
			});
	}
	const contentOnly = [
		toolAccuracy('Expert (content evidence, then the language head)', files, answers, performance.now() - started)
	];
	const texts = new Map(files.map((f) => [f.path, f.content]));
	log(`${set.name}: guesslang`);
	const guesslang = await guesslangLanguages(texts);
	contentOnly.push(
		toolAccuracy(
			'guesslang (@vscode/vscode-languagedetection 1.0.23)',
			files,
			guesslang.languages,
			guesslang.milliseconds
		)
	);
	const notes: string[] = [];
	const problem = linguistClassifierProblem();
	if (problem) notes.push(`GitHub Linguist's classifier: not run (${problem})`);
	else {
		log(`${set.name}: Linguist's classifier`);
		const linguist = await linguistClassifierLanguages(texts);
		contentOnly.push(
			toolAccuracy(
				`GitHub Linguist ${linguistClassifierVersion()} classifier alone (Debian ruby-github-linguist)`,
				files,
				linguist.languages,
				linguist.milliseconds
			)
		);
	}
	return {
		name: set.name,
		labels: set.labels,
		files: files.length,
		namesKept: namesKeptSlices(files, namedAnswers),
		contentOnly,
		calibration: calibration(predictions),
		notes
	};
}

const pct = (t: { right: number; files: number }) =>
	t.files === 0 ? '—' : `${((100 * t.right) / t.files).toFixed(1)}% (${t.right}/${t.files})`;

/** The report's markdown for the language-id sets. */
export function languageIdMarkdown(reports: readonly LanguageIdSetReport[]): string[] {
	const lines: string[] = [];
	for (const r of reports) {
		lines.push(`## Language identification — ${r.name}`, '', `Labels: ${r.labels}.`, '');
		lines.push('| names kept | Expert |', '|---|---|');
		lines.push(
			`| all files | ${pct(r.namesKept.all)} |`,
			`| model decided, among the evidence's candidates | ${pct(r.namesKept.amongCandidates)} |`
		);
		lines.push(
			`| model decided, among all languages | ${pct(r.namesKept.amongAll)} |`,
			`| files with no extension | ${pct(r.namesKept.noExtension)} |`,
			''
		);
		lines.push(
			"| names withheld (content only) | all files | on guesslang's 54 languages | files/s |",
			'|---|---|---|---|'
		);
		for (const row of r.contentOnly)
			lines.push(
				`| ${row.tool} | ${pct({ right: row.right, files: row.files })} | ${pct({ right: row.coveredRight, files: row.coveredFiles })} | ${row.filesPerSecond.toFixed(1)} |`
			);
		const c = r.calibration;
		lines.push(
			'',
			`Calibration of the model's top probability (content only, ${c.answers} model answers): expected calibration error ${c.ece.toFixed(3)}; ${c.uncertain} answers said "uncertain" (below 0.5), ${c.uncertainRight} of them right.`
		);
		lines.push(...r.notes.map((n) => `Note: ${n}.`), '');
	}
	return lines;
}
