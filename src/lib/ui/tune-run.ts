// The Compare page's "Tune weights" run: reads the picked files as classify does (the input policy skips the
// same ones), has the worker tune a set's stacking weights on them with progress, and shapes the tuned set
// into the rows the page shows (scores before and after, weights per expert).
import * as Comlink from 'comlink';
import { describeError } from '../errors.ts';
import type { ClassifyInput, TuneOptions, TuneOutcome, TuneProgress } from '../worker/api.ts';
import { appWorker } from '../worker/client.ts';
import { readPicked, type SkippedFile } from './classify-run.ts';
import type { PickedFile } from './file-collect.ts';

export const DEFAULT_TUNE_NAME = 'tuned';
export const DEFAULT_TUNE_EVALUATIONS = 20;

export const PHASE_LABELS: Record<TuneProgress['phase'], string> = {
	weights: 'weight search',
	routing: 'routed experts'
};
const PHASE_UNITS: Record<TuneProgress['phase'], string> = { weights: 'evaluations', routing: 'experts' };

/** Where a tune is: the worker's last report (or the start, before the first), with the rate of its phase. */
export interface TuneRunProgress extends TuneProgress {
	/** Steps per second since the phase began. */
	rate: number;
	unit: string;
	/** What the bar says besides the count: the phase and the best language accuracy so far. */
	note: string;
}

export interface TuneRunResult {
	outcome: TuneOutcome;
	/** Picked files not tuned on: skipped by the input policy (binary, empty, too large) or without a language folder. */
	skipped: SkippedFile[];
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function progressNote(progress: TuneProgress): string {
	const best = progress.best === undefined ? '' : `, best language ${percent(progress.best)}`;
	const starting =
		progress.phase === 'weights' && progress.done === 0 ? ', loading the model and scoring the start' : '';
	return `${PHASE_LABELS[progress.phase]}${starting}${best}`;
}

/** Tunes the set `expertKeys` picks (empty: auto) on the picked files; the set is stored under `options.name`. */
export async function tuneOnFiles(
	files: PickedFile[],
	expertKeys: string[],
	options: TuneOptions,
	onProgress: (progress: TuneRunProgress) => void
): Promise<TuneRunResult> {
	const inputs: ClassifyInput[] = [];
	const skipped: SkippedFile[] = [];
	for (const picked of files) {
		const read = await readPicked(picked);
		if ('problem' in read) skipped.push({ path: picked.path, reason: read.problem });
		else inputs.push({ path: picked.path, text: read.content });
	}
	let phase = { name: '', started: performance.now() };
	const report = (progress: TuneProgress) => {
		if (progress.phase !== phase.name) phase = { name: progress.phase, started: performance.now() };
		const rate = progress.done / Math.max((performance.now() - phase.started) / 1000, 1e-3);
		onProgress({
			...progress,
			rate: progress.done === 0 ? 0 : rate,
			unit: PHASE_UNITS[progress.phase],
			note: progressNote(progress)
		});
	};
	report({ phase: 'weights', done: 0, total: options.maxEvaluations });
	const outcome = await appWorker().tune(inputs, [...expertKeys], { ...options }, Comlink.proxy(report));
	return {
		outcome,
		skipped: [...skipped, ...outcome.unlabelled.map(({ path, problem }) => ({ path, reason: problem }))]
	};
}

export interface ScoreRow {
	measure: string;
	before: string;
	after: string;
}

/** Language and type accuracy, files and files left to the model, before and after tuning. */
export function scoreRows(outcome: TuneOutcome): ScoreRow[] {
	const tuning = outcome.set.tuning;
	if (!tuning) return [];
	const files = String(tuning.data.files);
	const model = String(tuning.data.modelDecided);
	return [
		{ measure: 'Language accuracy', before: percent(tuning.before.language), after: percent(tuning.after.language) },
		{ measure: 'Type accuracy', before: percent(tuning.before.type), after: percent(tuning.after.type) },
		{ measure: 'Files', before: files, after: files },
		{ measure: 'Files left to the model', before: model, after: model }
	];
}

export interface WeightRow {
	expert: string;
	start: number;
	tuned: number;
}

/** Each expert of the tuned set with the weight it started from and the weight the search kept. */
export function weightRows(outcome: TuneOutcome): WeightRow[] {
	const start = new Map(outcome.start.map((expert) => [expert.id, expert.weight]));
	return outcome.set.experts.map((expert) => {
		const id = `${expert.name}@${expert.version}`;
		return { expert: id, start: start.get(id) ?? 1, tuned: expert.weight };
	});
}

/** The stored sets' names, and one line for each stored set (or the whole store) that cannot be read. */
export async function fetchStoredSetNames(): Promise<{ names: string[]; problems: string[] }> {
	try {
		const { sets, problems } = await appWorker().listExpertSets();
		return { names: sets.map((set) => set.name).sort(), problems };
	} catch (error) {
		return { names: [], problems: [describeError(error)] };
	}
}
