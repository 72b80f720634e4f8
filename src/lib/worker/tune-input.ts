// What the app's tune call accepts: picked files labelled by their folder names (the picked folder itself
// dropped when it is not a language name, so `samples/Python/a.py` is Python; files without a usable label
// are skipped with the reason, as `expert tune` does) and the tune options, each problem one line before any
// model work starts.
import { languageOfFolderName } from '../classify/linguist-names.ts';
import { ExpertError } from '../errors.ts';
import { EXPERT_NAME_PATTERN } from '../experts/manifest.ts';
import { labelFiles, type LabelledText } from '../tune/labelled-files.ts';
import type { ClassifyInput, TuneOptions } from './api.ts';

/** Most weight vectors one tune may evaluate (each one classifies every model-decided file). */
export const MAX_TUNE_EVALUATIONS = 500;

/** The folder every path starts with, when there is one and it is not itself a language folder. */
function pickedRoot(paths: string[]): string | null {
	const first = paths[0]?.split('/')[0];
	if (!first || paths.some((path) => !path.startsWith(`${first}/`))) return null;
	return languageOfFolderName(first) === null ? first : null;
}

export interface PickedLabels {
	files: LabelledText[];
	/** Picked files without a usable label (picked paths), with the reason. */
	skipped: Array<{ path: string; problem: string }>;
	/** The picked folder's name, when the files lie in one that is not a language folder. */
	root: string | null;
}

/** Labelled texts from picked files (`<Language>/<file>` under the picked folder); none labelled is an error naming the first reason. */
export function labelPickedFiles(inputs: ClassifyInput[]): PickedLabels {
	if (inputs.length === 0) throw new ExpertError('no-input', 'no files to tune on');
	const root = pickedRoot(inputs.map((input) => input.path));
	const relative = inputs.map(({ path, text }) => ({ path: root ? path.slice(root.length + 1) : path, content: text }));
	const labelled = labelFiles(relative);
	const skipped = labelled.skipped.map((skip) => ({
		path: root ? `${root}/${skip.path}` : skip.path,
		problem: skip.problem
	}));
	if (labelled.files.length === 0)
		throw new ExpertError('no-labels', `no file is labelled by its folder (${skipped[0].path}: ${skipped[0].problem})`);
	return { files: labelled.files, skipped, root };
}

export function checkTuneOptions(options: TuneOptions): void {
	if (!EXPERT_NAME_PATTERN.test(options.name) || options.name.length > 64) {
		throw new ExpertError(
			'bad-option',
			`set name "${options.name}": use lower-case words joined by hyphens (at most 64 characters), e.g. tuned`
		);
	}
	if (
		!Number.isInteger(options.maxEvaluations) ||
		options.maxEvaluations < 1 ||
		options.maxEvaluations > MAX_TUNE_EVALUATIONS
	) {
		throw new ExpertError(
			'bad-option',
			`max evaluations must be a whole number from 1 to ${MAX_TUNE_EVALUATIONS}, got ${options.maxEvaluations}`
		);
	}
	if (!Number.isInteger(options.seed) || options.seed < 0)
		throw new ExpertError('bad-option', `seed must be a whole number ≥ 0, got ${options.seed}`);
}
