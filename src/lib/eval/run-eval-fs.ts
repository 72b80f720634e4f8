// The measurements of `expert eval`: classification accuracy on the held-out linguist split and on the real-project
// set beside linguist-js and the evidence chain alone (per tier and ambiguous group), language identification,
// repository breakdowns, a comparison of expert sets, what the json-parser and neo4j-cypher experts write, and the
// runtime rows, as one typed report. Node only; progress lines go to a callback.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ClassificationSession, type ClassifiedDocument } from '../classify/classification-session.ts';
import { openClassificationSession } from '../classify/classification-session-fs.ts';
import { AUTO_SET, CLASSIFIER_EXPERT, loadPlanIds } from '../classify/expert-selection.ts';
import { CODE_EXPERT_OF_LANGUAGE, CODE_EXPERT_PACKAGES } from './code-expert-set.ts';
import { codeExpertGain, type CodeExpertGain } from './code-expert-gains.ts';
import { describeWeighted } from '../experts/expert-set.ts';
import { weighted, type StackEntry } from '../runtime/expert-stack.ts';
import { loadCorpora, REPO_ROOT } from '../datasets/corpus-fs.ts';
import { unitIntervalOf } from '../datasets/hashing.ts';
import { routeInput } from '../experts/router.ts';
import { ExpertError } from '../errors.ts';
import { median } from '../median.ts';
import { scoreClassifications, type ScoredExample } from './classification-metrics.ts';
import {
	type ComparisonRow,
	type EvalReport,
	type SideBySide,
	type SideBySideRow,
	type StackingDiff
} from './eval-report.ts';
import {
	checkGenerations,
	cypherNamesPresent,
	isValidCypher,
	isValidJson,
	sameJsonValue,
	schemaOfValue,
	type AnswerValidator,
	type GenerationCheck
} from './generation-checks.ts';
import Ajv from 'ajv';
import { perplexity } from './perplexity.ts';
import type { Example } from '../datasets/formats.ts';
import { documentTypeOf } from '../classify/document-type.ts';
import { languageEvidence } from '../classify/evidence-chain.ts';
import type { LinguistHeuristics } from '../classify/linguist-heuristics.ts';
import { ambiguousGroup, nameTier } from './language-groups.ts';
import { linguistJsLanguages } from './linguist-js-baseline.ts';
import { fetchRealProjectSet, readRealProjectSet } from './real-project-set-fs.ts';
import { heldOutFiles, heldOutProse, heldOutPrompts, technologyLabels, type LabelledFile } from './heldout-fs.ts';
import { measureRuntimeFigures } from './runtime-figures.ts';
import { languageIdSetReport, type LanguageIdSetReport } from './language-id-eval.ts';
import { breakdownEval } from './breakdown-eval-fs.ts';
import { breakdownTrees, fetchBreakdownTrees } from './breakdown-trees-fs.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import { outputConstraint, type OutputRequest } from '../constrain/output-constraint.ts';

/** Held-out English paragraphs the perplexity row reads (with and without english-basic). */
export const PROSE_PARAGRAPHS = 100;

export interface EvalOptions {
	model: string;
	expertsDir: string;
	corpora: string;
	precision: WeightPrecision;
	threads?: number;
	compareFiles: number;
	generationPrompts: number;
	technologyLabels: string;
	realSet: string;
	codeSet: string;
	fetchRealSet?: boolean;
	breakdownTrees: string;
	q4: boolean;
	output: string;
}

/** A progress line every this many files. */
const LOG_EVERY = 100;

async function classifyFiles(
	label: string,
	files: LabelledFile[],
	classify: (file: LabelledFile) => Promise<{ answer: ScoredExample['answer']; ms: number }>,
	log: (line: string) => void
) {
	const examples: ScoredExample[] = [];
	const times: number[] = [];
	for (const file of files) {
		const { answer, ms } = await classify(file);
		examples.push({ path: file.path, truth: file.truth, answer });
		times.push(ms);
		if (examples.length % LOG_EVERY === 0 || examples.length === files.length)
			log(`${label}: ${examples.length}/${files.length} files`);
	}
	return { examples, msPerFile: median(times) };
}

type ClassifyWith = (file: LabelledFile, stack: StackEntry[]) => Promise<ClassifiedDocument>;

/** Classifies with exactly `ids`, remembering each result, so the comparison does not rerun what the headline ran. */
function rememberingClassifier(session: ClassificationSession): ClassifyWith {
	const results = new Map<string, Promise<ClassifiedDocument>>();
	return (file, stack) => {
		const key = `${stack.map((entry) => describeWeighted(weighted(entry))).join(',')}\n${file.path}`;
		let result = results.get(key);
		if (!result) results.set(key, (result = session.classifyWith(file, stack)));
		return result;
	};
}

/** An expert set of the comparison; `perFile` when it depends on the file. */
interface Configuration {
	name: string;
	experts: (file: LabelledFile) => StackEntry[];
	perFile?: boolean;
	/** Holds the default stack and adds to it (or reweighs it): its changed answers are listed. */
	stacksOnDefault?: boolean;
}

/** The same files under each expert set, plus the evidence chain alone; and every file whose language or type
 * under a set that stacks on the default differs from the one under `reference` (a configuration name). */
async function compareExpertSets(
	classifyWith: ClassifyWith,
	heuristics: LinguistHeuristics,
	sample: LabelledFile[],
	configurations: Configuration[],
	reference: string,
	log: (line: string) => void
): Promise<{ rows: ComparisonRow[]; diffs: StackingDiff[] }> {
	const comparisons: ComparisonRow[] = [];
	const answers = new Map<string, ScoredExample[]>();
	const baseline = evidenceAlone(heuristics);
	const baselineExamples = sample.map((file) => ({
		path: file.path,
		truth: file.truth,
		answer: { ...file.truth, language: baseline(file) }
	}));
	comparisons.push({
		name: 'evidence chain alone (first candidate when undecided, no model)',
		experts: [],
		files: sample.length,
		...pickScores(scoreClassifications(baselineExamples)),
		typeAccuracy: Number.NaN,
		technologiesF1: Number.NaN,
		msPerFile: 0
	});
	for (const configuration of configurations) {
		const run = await classifyFiles(
			configuration.name,
			sample,
			async (file) => {
				const result = await classifyWith(file, configuration.experts(file));
				return { answer: result.classification, ms: result.milliseconds };
			},
			log
		);
		const metrics = scoreClassifications(run.examples);
		const fixed = configuration.perFile
			? ['(per file)']
			: configuration.experts(sample[0]).map((entry) => describeWeighted(weighted(entry)).replace(/@[^:]*/, ''));
		comparisons.push({
			name: configuration.name,
			experts: fixed,
			files: sample.length,
			...pickScores(metrics),
			msPerFile: run.msPerFile
		});
		answers.set(configuration.name, run.examples);
	}
	const referenceAnswers = answers.get(reference) ?? [];
	const diffs: StackingDiff[] = [];
	const stacking = new Set(
		configurations.filter((configuration) => configuration.stacksOnDefault).map((configuration) => configuration.name)
	);
	for (const [name, examples] of answers) {
		if (name === reference || !stacking.has(name)) continue;
		examples.forEach((example, index) => {
			const base = referenceAnswers[index].answer;
			if (base.language === example.answer.language && base.type === example.answer.type) return;
			diffs.push({
				configuration: name,
				path: example.path,
				truth: `${example.truth.language} / ${example.truth.type}`,
				reference: `${base.language} / ${base.type}`,
				answer: `${example.answer.language} / ${example.answer.type}`
			});
		});
	}
	return { rows: comparisons, diffs };
}

/** Language accuracy of one tool over the files, overall, per name tier and per ambiguous group. */
function sliceScores(tool: string, files: LabelledFile[], answerOf: (file: LabelledFile) => string): SideBySideRow {
	const row: SideBySideRow = { tool, overall: { files: 0, right: 0 }, tiers: {}, groups: {} };
	for (const file of files) {
		const right = answerOf(file) === file.truth.language ? 1 : 0;
		const tier = nameTier(file);
		const group = ambiguousGroup(file.fileName);
		for (const cell of [
			row.overall,
			(row.tiers[tier] ??= { files: 0, right: 0 }),
			...(group ? [(row.groups[group] ??= { files: 0, right: 0 })] : [])
		]) {
			cell.files++;
			cell.right += right;
		}
	}
	return row;
}

/** What the evidence chain says alone: its language, else its first candidate, else "none". */
const evidenceAlone = (heuristics: LinguistHeuristics) => (file: LabelledFile) => {
	const found = languageEvidence(heuristics, file);
	return found.language ?? found.candidates[0] ?? 'none';
};

/** Expert, linguist-js and the evidence chain alone on the same files; the files Expert loses to linguist-js. */
async function sideBySide(
	name: string,
	files: LabelledFile[],
	expertAnswers: Map<string, string>,
	heuristics: LinguistHeuristics
): Promise<SideBySide> {
	const baseline = await linguistJsLanguages(heuristics, files);
	const rows = [
		sliceScores('Expert (evidence chain + model)', files, (f) => expertAnswers.get(f.path)!),
		sliceScores(`linguist-js ${heuristics.sources.heuristics.split(' ')[1]} (rules, no model)`, files, (f) =>
			baseline.languages.get(f.path)!
		),
		sliceScores('evidence chain alone (first candidate when undecided)', files, evidenceAlone(heuristics))
	];
	const losses = files
		.filter(
			(f) => expertAnswers.get(f.path) !== f.truth.language && baseline.languages.get(f.path) === f.truth.language
		)
		.map((f) => ({
			path: f.path,
			truth: f.truth.language,
			expert: expertAnswers.get(f.path)!,
			linguistJs: baseline.languages.get(f.path)!
		}));
	return { name, files: files.length, rows, losses, linguistJsMs: baseline.milliseconds };
}

/** How often the 4-bit base gives the same answer (type, language, technologies) as fp32 on the same files. */
async function quantizedAgreement(
	options: EvalOptions,
	stackOf: (file: LabelledFile) => StackEntry[],
	files: LabelledFile[],
	fp32: Map<string, ClassifiedDocument>,
	log: (line: string) => void
): Promise<EvalReport['q4Agreement']> {
	const { session } = await openClassificationSession({
		model: options.model,
		expertsDir: options.expertsDir,
		precision: 'q4',
		threads: options.threads,
		backend: 'cpu'
	});
	let same = 0;
	let modelDecided = 0;
	let sameModelDecided = 0;
	await classifyFiles(
		'q4 (same experts)',
		files,
		async (file) => {
			const answer = await session.classifyWith(file, stackOf(file));
			const reference = fp32.get(file.path)!;
			const agrees = answer.json === reference.json;
			same += agrees ? 1 : 0;
			if (reference.evidence.languageBy === 'model') {
				modelDecided++;
				sameModelDecided += agrees ? 1 : 0;
			}
			return { answer: answer.classification, ms: answer.milliseconds };
		},
		log
	);
	return { files: files.length, sameAnswers: same, modelDecided, sameModelDecided };
}

/** Everything `expert eval` measures, as one report (the command writes and prints it); progress lines go to `log`. */
export async function runEval(options: EvalOptions, log: (line: string) => void): Promise<EvalReport> {
	const corpora = await loadCorpora(options.corpora).catch((error) => {
		throw new ExpertError(
			'corpus-missing',
			`expert eval needs the labelled corpora in ${options.corpora} (${(error as Error).message.split('\n')[0]})`
		);
	});
	const opened = await openClassificationSession({ ...options, backend: 'cpu' });
	const { session, runtime, experts: folder } = opened;
	const { heuristics, tokenizer } = session;
	const allIds = loadPlanIds(
		folder.registry.map((m) => m.name),
		folder.registry
	);
	const idOf = (name: string) => allIds.find((id) => id.startsWith(`${name}@`))!;

	const files = heldOutFiles(corpora, technologyLabels(options.technologyLabels));
	const classifyWith = rememberingClassifier(session);
	const autoStack = (file: LabelledFile) => session.stackFor({ mode: 'auto' }, file);
	const defaultIds = loadPlanIds([CLASSIFIER_EXPERT], folder.registry);
	/** Classifies a set with `classify`'s automatic stack, keeping each file's whole answer. */
	const classifyAuto = async (label: string, set: LabelledFile[]) => {
		const kept = new Map<string, ClassifiedDocument>();
		const run = await classifyFiles(
			label,
			set,
			async (file) => {
				const result = await classifyWith(file, autoStack(file));
				kept.set(file.path, result);
				return { answer: result.classification, ms: result.milliseconds };
			},
			log
		);
		return { run, answers: kept };
	};
	const { run: headlineRun, answers } = await classifyAuto('auto (classifier + dependencies)', files);
	const headline = {
		...scoreClassifications(headlineRun.examples),
		name: `auto: evidence chain, then ${folder.sets.has(AUTO_SET) ? `@${AUTO_SET} (${path.join('experts', 'sets', `${AUTO_SET}.json`)}: tuned weights, measured routing)` : 'document-classifier and its dependencies'}`,
		msPerFile: headlineRun.msPerFile
	};
	log(
		`language top-1 ${(100 * headline.languageAccuracy).toFixed(1)}%, type ${(100 * headline.typeAccuracy).toFixed(1)}% on ${files.length} files`
	);
	const q4Agreement =
		options.precision === 'fp32' && options.q4
			? await quantizedAgreement(options, autoStack, files, answers, log)
			: null;
	const languageOf = (set: Map<string, ClassifiedDocument>) =>
		new Map([...set].map(([p, r]) => [p, r.classification.language]));
	const heldOutSide = await sideBySide(
		`held-out linguist split (${files.length} files)`,
		files,
		languageOf(answers),
		heuristics
	);
	const asLanguageIdFile = (f: LabelledFile) => ({
		path: f.path,
		fileName: f.fileName,
		content: f.content,
		language: f.truth.language
	});
	const languageId: LanguageIdSetReport[] = [
		await languageIdSetReport(
			session,
			{ mode: 'auto' },
			{
				name: `held-out linguist split (${files.length} files)`,
				labels: "the corpus folder, Linguist's own sample label",
				files: files.map(asLanguageIdFile)
			},
			answers,
			log
		)
	];

	if (options.fetchRealSet) {
		await fetchRealProjectSet(options.realSet, log);
		await fetchRealProjectSet(options.codeSet, log, CODE_EXPERT_PACKAGES);
		await fetchBreakdownTrees(options.breakdownTrees, log);
	}
	const realFiles = existsSync(path.join(options.realSet, 'labels.json'))
		? await readRealProjectSet(options.realSet)
		: [];
	const realSide: SideBySide[] = [];
	if (realFiles.length > 0) {
		const labelled: LabelledFile[] = realFiles.map((f) => ({
			path: f.path,
			fileName: f.fileName,
			content: f.content,
			truth: { type: documentTypeOf(f.language, f.fileName), language: f.language, technologies: [] }
		}));
		const { answers: realAnswers } = await classifyAuto('real-project set', labelled);
		realSide.push(
			await sideBySide(
				`real-project set (${labelled.length} files from Debian packages, labelled by provenance)`,
				labelled,
				languageOf(realAnswers),
				heuristics
			)
		);
		languageId.push(
			await languageIdSetReport(
				session,
				{ mode: 'auto' },
				{
					name: `real-project set (${labelled.length} files)`,
					labels: 'the Debian package each file comes from and the path rules of src/lib/eval/real-project-set.ts',
					files: labelled.map(asLanguageIdFile)
				},
				realAnswers,
				log
			)
		);
	} else log(`no real-project set at ${options.realSet} (expert eval --fetch-real-set builds it); skipped`);

	const trees = breakdownTrees(options.breakdownTrees);
	if (trees.length === 0)
		log(`no breakdown trees in ${options.breakdownTrees} (expert eval --fetch-real-set fetches them); skipped`);
	const breakdown = await breakdownEval(session, { mode: 'auto' }, heuristics, trees, log);

	const sample = [...files]
		.sort((a, b) => unitIntervalOf(`compare:${a.path}`) - unitIntervalOf(`compare:${b.path}`))
		.slice(0, options.compareFiles);
	const routable = [...new Set(folder.registry.map((m) => m.name))]
		.filter((name) => !defaultIds.some((id) => id.startsWith(`${name}@`)))
		.sort();
	const DEFAULT_SET = 'default: document-classifier + its dependencies, weight 1';
	const configurations: Configuration[] = [
		{ name: 'no expert (base model)', experts: () => [] },
		...allIds.map((id) => ({ name: `${id.split('@')[0]} alone`, experts: () => [id] })),
		{ name: DEFAULT_SET, experts: () => defaultIds },
		...routable.map((name) => ({
			name: `default + ${name} where routing picks it`,
			experts: (file: LabelledFile) =>
				routeInput(file, folder.registry).selected.includes(name)
					? [...defaultIds, ...loadPlanIds([name], folder.registry).filter((id) => !defaultIds.includes(id))]
					: defaultIds,
			perFile: true,
			stacksOnDefault: true
		})),
		{ name: `all ${allIds.length} stacked, weight 1`, experts: () => allIds, stacksOnDefault: true },
		...[...folder.sets.keys()].sort().map((name) => ({
			name: `@${name} (${folder.sets.get(name)!.tuning ? 'tuned' : 'named'} set)`,
			experts: (file: LabelledFile) => session.stackFor({ mode: 'set', name }, file),
			perFile: folder.sets.get(name)!.routed.length > 0,
			stacksOnDefault: true
		})),
		{ name: 'auto (what classify uses)', experts: autoStack, perFile: true, stacksOnDefault: true }
	];
	const composition =
		sample.length > 0
			? await compareExpertSets(classifyWith, heuristics, sample, configurations, DEFAULT_SET, log)
			: { rows: [], diffs: [] };

	const codeSet = existsSync(path.join(options.codeSet, 'labels.json'))
		? await readRealProjectSet(options.codeSet)
		: [];
	const codeExperts: CodeExpertGain[] = [];
	for (const [language, expert] of Object.entries(CODE_EXPERT_OF_LANGUAGE)) {
		const own = codeSet.filter((file) => file.language === language);
		if (own.length === 0 || !folder.registry.some((m) => m.name === expert)) continue;
		log(`${expert} on ${own.length} ${language} files of the code-expert set`);
		codeExperts.push(await codeExpertGain(session, expert, language, own, defaultIds));
	}
	if (codeSet.length === 0)
		log(`no code-expert set at ${options.codeSet} (expert eval --fetch-real-set builds it); skipped`);

	const generation: EvalReport['generation'] = {};
	const jsonPrompts = heldOutPrompts(
		corpora,
		'json-parsing',
		['fix', 'extract'],
		options.generationPrompts,
		path.join(REPO_ROOT, 'datasets/json-parsing.jsonl')
	);
	const cypherPrompts = heldOutPrompts(
		corpora,
		'neo4j-cypher',
		['text-to-cypher'],
		options.generationPrompts,
		path.join(REPO_ROOT, 'datasets/neo4j-cypher.jsonl')
	);
	const texts = tokenizer.tokenTexts();
	const grammar = (output: OutputRequest, maxTokens: number) => () =>
		outputConstraint(output, texts, maxTokens)!.start();
	// The schema row asks each prompt for the shape of its intended output (every key required), checked by ajv.
	const ajv = new Ajv();
	const schemaOf = (example: Example) => schemaOfValue(JSON.parse(example.output));
	const matchesSchema: AnswerValidator = (answer, example) =>
		isValidJson(answer, example) && ajv.validate(schemaOf(example), JSON.parse(answer));
	const cypherIds = loadPlanIds(['neo4j-cypher'], folder.registry);
	const checks: Array<[string, string[], GenerationCheck]> = [
		['JSON, no expert, free decoding', [], { examples: jsonPrompts, isValid: isValidJson, content: sameJsonValue }],
		[
			'JSON, json-parser, free decoding',
			[idOf('json-parser')],
			{ examples: jsonPrompts, isValid: isValidJson, content: sameJsonValue }
		],
		[
			'JSON, json-parser, JSON grammar (its declared output)',
			[idOf('json-parser')],
			{
				examples: jsonPrompts,
				isValid: isValidJson,
				content: sameJsonValue,
				constraint: grammar({ format: 'json' }, 96)
			}
		],
		[
			'JSON matching the intended shape, json-parser, JSON schema',
			[idOf('json-parser')],
			{
				examples: jsonPrompts,
				isValid: matchesSchema,
				content: sameJsonValue,
				constraint: (example) => outputConstraint({ schema: schemaOf(example) }, texts, 160)!.start(),
				maxTokens: 160
			}
		],
		[
			'Cypher, no expert, free decoding',
			[],
			{ examples: cypherPrompts, isValid: isValidCypher, content: cypherNamesPresent }
		],
		[
			'Cypher, neo4j-cypher + dependencies, free decoding',
			cypherIds,
			{ examples: cypherPrompts, isValid: isValidCypher, content: cypherNamesPresent }
		],
		[
			'Cypher, neo4j-cypher + dependencies, Cypher grammar (its declared output)',
			cypherIds,
			{
				examples: cypherPrompts,
				isValid: isValidCypher,
				content: cypherNamesPresent,
				constraint: grammar({ format: 'cypher' }, 96)
			}
		]
	];
	for (const [name, experts, check] of checks) {
		if (options.generationPrompts === 0) break;
		await session.activate(experts);
		log(`${name}: ${check.examples.length} prompts`);
		generation[name] = {
			...(await checkGenerations(runtime, tokenizer, check)),
			experts: experts.map((id) => id.split('@')[0])
		};
	}

	const english: NonNullable<EvalReport['english']> = [];
	const prose = options.generationPrompts === 0 ? [] : heldOutProse(corpora, PROSE_PARAGRAPHS);
	for (const [name, experts] of [
		['none (base)', []],
		['english-basic', [idOf('english-basic')]]
	] as const) {
		if (prose.length === 0) break;
		await session.activate([...experts]);
		english.push({ name, ...(await perplexity(runtime, tokenizer, prose)) });
	}

	const bench = await measureRuntimeFigures(
		session,
		folder.loadAdapter,
		allIds,
		files[0],
		() => process.memoryUsage().rss
	);
	const errors = headlineRun.examples
		.filter((e) => e.truth.language !== e.answer.language)
		.map((e) => ({
			path: e.path,
			truth: e.truth.language,
			answer: e.answer.language,
			evidence: answers.get(e.path)!.evidence.language
		}));
	const report: EvalReport = {
		date: new Date().toISOString(),
		model: path.relative(REPO_ROOT, path.resolve(options.model)) || options.model,
		precision: options.precision,
		heldOutFiles: files.length,
		linguistData: heuristics.sources,
		headline,
		sideBySide: [heldOutSide, ...realSide],
		languageId,
		breakdown,
		q4Agreement,
		comparisons: composition.rows,
		comparisonFiles: sample.length,
		stackingDiffs: composition.diffs,
		codeExperts,
		generation,
		english,
		bench,
		errors
	};
	return report;
}

function pickScores(metrics: ReturnType<typeof scoreClassifications>) {
	return {
		languageAccuracy: metrics.languageAccuracy,
		typeAccuracy: metrics.typeAccuracy,
		technologiesF1: metrics.technologies.f1
	};
}
