// `expert tune` and the Compare page's tuning: searches the stacking weights of an expert set that maximise
// language accuracy on labelled files (weight-search.ts), then measures each routed expert the set does not
// hold on the files routing sends it (kept in the set's `routed` list with its scores, so `auto`/`@name` add it
// only where it helped), and returns the tuned expert set with the scores before and after. Only files the
// evidence chain leaves to the model can change with the weights; the others are scored once. Browser-safe.
import type { ClassificationSession } from '../classify/classification-session.ts';
import { documentTypeOf } from '../classify/document-type.ts';
import { languageEvidence } from '../classify/evidence-chain.ts';
import { loadPlanIds, measuredFigures, measuredToHelp, stackOfSet } from '../classify/expert-selection.ts';
import type { ExpertSet, SetScore, WeightedExpert } from '../experts/expert-set.ts';
import { weighted } from '../runtime/expert-stack.ts';
import { routeInput } from '../experts/router.ts';
import type { LabelledText } from './labelled-files.ts';
import { DEFAULT_WEIGHT_GRID, searchWeights } from './weight-search.ts';

export interface TuneProgress {
	phase: 'weights' | 'routing';
	done: number;
	total: number;
	/** Best language accuracy so far (weights phase). */
	best?: number;
}

export interface TuneRequest {
	name: string;
	description?: string;
	/** The untuned stack (full load plan), weights to start from. */
	stack: WeightedExpert[];
	/** Where the labelled files came from and how they were labelled, recorded in the set. */
	source: string;
	labels: string;
	maxEvaluations: number;
	seed: number;
	grid?: readonly number[];
	onProgress?: (progress: TuneProgress) => void;
}

export interface FileAnswer {
	path: string;
	truth: string;
	before: string;
	after: string;
}

export interface TuneResult {
	set: ExpertSet;
	/** Every file's language under the untuned and the tuned stack. */
	files: FileAnswer[];
}

const nameOf = (id: string) => id.split('@')[0];
const versionOf = (id: string) => id.split('@')[1];

/** Language and type accuracy of answers against the files' labels (type follows from language and name). */
function scoreAnswers(files: LabelledText[], answers: string[]): SetScore {
	if (files.length === 0) return { files: 0, language: 0, type: 0 };
	let language = 0;
	let type = 0;
	files.forEach((file, index) => {
		language += answers[index] === file.language ? 1 : 0;
		type += documentTypeOf(answers[index], file.fileName) === documentTypeOf(file.language, file.fileName) ? 1 : 0;
	});
	return { files: files.length, language: language / files.length, type: type / files.length };
}

/** Answers for all files under a stack: evidence-decided files keep their evidence answer. */
async function answersUnder(
	session: ClassificationSession,
	files: LabelledText[],
	decided: Array<string | null>,
	stack: WeightedExpert[]
): Promise<string[]> {
	const answers: string[] = [];
	for (const [index, file] of files.entries())
		answers.push(decided[index] ?? (await session.classifyWith(file, stack)).classification.language);
	return answers;
}

const withWeights = (stack: WeightedExpert[], weights: number[]) =>
	stack.map((expert, index) => ({ id: expert.id, weight: weights[index] }));

/** Scores are compared language first, then type, as one number. */
const objective = (score: SetScore) => score.language + score.type / 1000;

async function measureRouted(
	session: ClassificationSession,
	files: LabelledText[],
	decided: Array<string | null>,
	stack: WeightedExpert[],
	request: TuneRequest,
	grid: readonly number[]
) {
	const inStack = new Set(stack.map((expert) => nameOf(expert.id)));
	const routedTo = new Map<string, number[]>();
	files.forEach((file, index) => {
		for (const name of routeInput(file, session.registry).selected)
			if (!inStack.has(name)) routedTo.set(name, [...(routedTo.get(name) ?? []), index]);
	});
	const routed: ExpertSet['routed'] = [];
	let done = 0;
	for (const [name, indexes] of [...routedTo].sort(([a], [b]) => a.localeCompare(b))) {
		const subset = indexes.map((index) => files[index]);
		const subsetDecided = indexes.map((index) => decided[index]);
		const before = scoreAnswers(subset, await answersUnder(session, subset, subsetDecided, stack));
		const plan = loadPlanIds([name], session.registry).filter((id) => !inStack.has(nameOf(id)));
		let best = { weight: 1, score: null as SetScore | null };
		for (const weight of grid.filter((value) => value > 0)) {
			const added = plan.map((id) => ({ id, weight: nameOf(id) === name ? weight : 1 }));
			const score = scoreAnswers(subset, await answersUnder(session, subset, subsetDecided, [...stack, ...added]));
			if (!best.score || objective(score) > objective(best.score)) best = { weight, score };
		}
		const id = plan.find((entry) => nameOf(entry) === name)!;
		routed.push({ name, version: versionOf(id), weight: best.weight, before, after: best.score! });
		request.onProgress?.({ phase: 'routing', done: ++done, total: routedTo.size });
	}
	return routed;
}

export async function tuneExpertSet(
	session: ClassificationSession,
	files: LabelledText[],
	request: TuneRequest
): Promise<TuneResult> {
	const grid = request.grid ?? DEFAULT_WEIGHT_GRID;
	const decided = files.map((file) => languageEvidence(session.heuristics, file).language ?? null);
	const modelFiles = files.filter((_, index) => decided[index] === null);
	// Answers and scores per weight vector the search tried (the first is the start: the untuned set).
	const tried = new Map<string, { answers: string[]; score: SetScore }>();
	const start = request.stack.map((expert) => expert.weight);
	const search = await searchWeights({
		start,
		grid,
		maxEvaluations: request.maxEvaluations,
		seed: request.seed,
		score: async (weights) => {
			const answers = await answersUnder(session, files, decided, withWeights(request.stack, weights));
			const score = scoreAnswers(files, answers);
			tried.set(weights.join(','), { answers, score });
			return objective(score);
		},
		onProgress: (progress) =>
			request.onProgress?.({
				phase: 'weights',
				done: progress.evaluations,
				total: progress.maxEvaluations,
				best: tried.get(progress.weights.join(','))?.score.language
			})
	});
	const { answers: untuned, score: before } = tried.get(start.join(','))!;
	const tunedStack = withWeights(request.stack, search.weights);
	const routed = await measureRouted(session, files, decided, tunedStack, request, grid);
	const stacked = {
		experts: tunedStack.map((expert) => ({
			name: nameOf(expert.id),
			version: versionOf(expert.id),
			weight: expert.weight
		})),
		routed
	};
	// After: the set as classify uses it, the routed experts it measured to help included.
	const tuned: string[] = [];
	for (const [index, file] of files.entries())
		tuned.push(
			decided[index] ??
				(await session.classifyWith(file, stackOfSet(stacked, session.registry, file).map(weighted))).classification
					.language
		);
	const set: ExpertSet = {
		format: 'expert-set/1',
		name: request.name,
		description: request.description ?? `tuned on ${files.length} files (${request.source})`,
		...stacked,
		tuning: {
			method: 'coordinate search over a weight grid (seeded order, strict improvements only)',
			seed: request.seed,
			evaluations: search.evaluations,
			grid: [...grid],
			data: { source: request.source, labels: request.labels, files: files.length, modelDecided: modelFiles.length },
			before,
			after: scoreAnswers(files, tuned),
			tunedAt: new Date().toISOString()
		}
	};
	return {
		set,
		files: files.map((file, index) => ({
			path: file.path,
			truth: file.language,
			before: untuned[index],
			after: tuned[index]
		}))
	};
}

/** One line per routed expert: added or left out, and the measurement that decided. */
export function routedVerdicts(set: Pick<ExpertSet, 'routed'>): string[] {
	return set.routed.map(
		(routed) =>
			`${routed.name}: ${measuredToHelp(routed) ? `added when routed (weight ${routed.weight})` : 'left out'}: ${measuredFigures(routed)}`
	);
}
