// The contract between the pages and the app's Web Worker (comlink): what the worker reports about the
// browser, the cached experts and models, the stored expert sets, and the classify and tune calls; types only.
import type { BaseModelSummary } from '../experts/resolver.ts';
import type { ExpertSet, WeightedExpert } from '../experts/expert-set.ts';
import type { FileAnswer, TuneProgress } from '../tune/tune-expert-set.ts';
import type { ChatRequest, ChatResult } from '../generation/chat-completion.ts';
import type { DownloadProgress } from '../runtime/download-progress.ts';
import type { GpuReport, RuntimeSettings } from './runtime-settings.ts';
import type { CacheEntry, CacheUsage } from './store.ts';
import type { ClassifiedDocument } from '../classify/classification-session.ts';

export interface EnvironmentReport {
	indexedDB: boolean;
	/** null when navigator.gpu is absent or gives no adapter: the runtime then uses WASM. */
	gpu: GpuReport | null;
	/** The backend Automatic picks: WebGPU only on a hardware adapter. */
	backend: 'webgpu' | 'wasm';
	/** Why Automatic does not pick WebGPU (no adapter, software adapter), or null when it does. */
	webgpuRefusal: string | null;
	crossOriginIsolated: boolean;
	hardwareConcurrency: number;
	/** Bytes of JS heap in use where the browser reports it (Chromium), else null. */
	heapBytes: number | null;
}

/** The base model experts are checked against: name, hidden size, layer count. */
export type { BaseModelSummary } from '../experts/resolver.ts';

export interface ModelState {
	loaded: boolean;
	/** True while the base model is being fetched and its sessions built (on the first classify). */
	loading: boolean;
	/** Why no model is loaded, what is loading, or where the loaded one came from (backend, precision, time). */
	detail: string;
	/** Weight bytes received so far while loading (total null until known); null when not downloading. */
	download: DownloadProgress | null;
	/** Why Automatic moved from WebGPU to WebAssembly (load failure, far too slow), or null. */
	fallback: string | null;
	base: BaseModelSummary | null;
}

export interface InstalledExpert {
	key: string;
	name: string;
	version: string;
	description: string;
	capabilities: string[];
	keywords: string[];
	priority: number;
	loadOrder: number;
	requires: string[];
	rank: number | null;
	targetModules: string[];
	/** Whole modules the package carries (PEFT's modules_to_save), e.g. language-id's head. */
	savedModules: string[];
	bytes: number;
	/** Shipped inside the app build: usable at once, cannot be removed; an installed package of the same name@version shadows it. */
	builtin: boolean;
}

export interface InstallOptions {
	/** Store a package whose name@version is a built-in's: it then shadows the built-in until removed. */
	shadowBuiltin?: boolean;
}

/** What an install did: stored (and what it replaced), or nothing yet because it would shadow a built-in. */
export type InstallOutcome =
	| { status: 'installed'; expert: InstalledExpert; replaced: 'builtin' | 'installed' | null }
	| { status: 'needs-confirmation'; key: string; reason: string };

export interface LoadPlanStep {
	name: string;
	version: string;
	load_order: number;
	reason: string;
}

export interface ClassifyInput {
	path: string;
	text: string;
	/** The file name the evidence chain reads; default: the path's last segment. '' for pasted text (content alone decides). */
	fileName?: string;
}

export interface ClassifyRow {
	path: string;
	type: string;
	language: string;
	technologies: string[];
	/** Why the language is what it is: "heuristic .h: C++ (named pattern cpp)", "model among [Perl, Raku] (…)". */
	evidence: string;
	/** Who named the language: Linguist's evidence (or a .gitattributes line), or the model. */
	decidedBy: 'evidence' | 'model';
	typeEvidence: string;
	/** One line per technology: "numpy: import numpy as np". */
	technologyEvidence: string[];
	/** The active experts (`name@version`), load-plan order. */
	experts: string[];
	/** When the language head decided: its top three with calibrated probabilities, and whether it was unsure. */
	languageRanking?: Array<{ language: string; probability: number }>;
	uncertain?: boolean;
	ms: number;
}

export type { ExpertSet, WeightedExpert } from '../experts/expert-set.ts';
export type { FileAnswer, TuneProgress } from '../tune/tune-expert-set.ts';

export interface TuneOptions {
	/** The set to write (lower-case words joined by hyphens); `auto` replaces what the default selection uses. */
	name: string;
	/** Most weight vectors to evaluate. */
	maxEvaluations: number;
	/** Seed of the search order. */
	seed: number;
}

/** A finished tune: the set as stored, each file's language before and after, and the routed experts' verdicts. */
export interface TuneOutcome {
	set: ExpertSet;
	/** The stack tuning started from (full load plan, starting weights). */
	start: WeightedExpert[];
	files: FileAnswer[];
	/** One line per routed expert measured: added when routed or left out, with the figures. */
	verdicts: string[];
	/** Files not tuned on because their folder names no language (picked paths), with the reason. */
	unlabelled: Array<{ path: string; problem: string }>;
}

/** The expert sets stored in this browser, and a line for each stored entry that failed its checks. */
export interface StoredExpertSets {
	sets: ExpertSet[];
	problems: string[];
}

export interface AppWorkerApi {
	/**
	 * Tells the worker the app's root URL (absolute, ending in a slash: models/, ort/ and experts/ lie under it)
	 * and the runtime choice; called by the page at start and when the choice changes (the base then reloads).
	 */
	/** `appVersion`: the build's version, which names the embedded base's weights (its built graph is cached per build). */
	configure(options: { appUrl: string; appVersion: string; runtime: RuntimeSettings }): Promise<void>;
	environment(): Promise<EnvironmentReport>;
	modelState(): Promise<ModelState>;
	listExperts(): Promise<InstalledExpert[]>;
	/**
	 * Validates a package archive (zip or tar) and caches it; throws a one-line error when it is not valid. A package
	 * with a built-in's name@version is stored only with `shadowBuiltin` (else the answer asks for confirmation).
	 */
	installExpert(archive: Uint8Array, source: string, options?: InstallOptions): Promise<InstallOutcome>;
	/** Downloads a package archive and installs it as installExpert does. */
	installExpertFromUrl(url: string, options?: InstallOptions): Promise<InstallOutcome>;
	removeExpert(key: string): Promise<boolean>;
	/**
	 * The resolver's load plan over the installed experts for requests like "name" or "name@>=1.0.0"; `["@name"]`
	 * is a stored expert set's plan (each step's reason gives its weight).
	 */
	loadPlan(requests: string[]): Promise<LoadPlanStep[]>;
	exportExpert(key: string): Promise<{ fileName: string; bytes: Uint8Array }>;
	cacheReport(): Promise<{ usage: CacheUsage; entries: CacheEntry[] }>;
	/**
	 * Loads the base model and the adapters of the expert set `expertKeys` (as classify picks them) now, so a run
	 * can time loading apart from classifying.
	 */
	loadModel(expertKeys: string[]): Promise<ModelState>;
	/**
	 * Classifies file contents (loading the base model on first use). No expert keys: the document classifier
	 * and its dependencies (or the stored set `auto` when there is one); `["@name"]`: the stored set of that name;
	 * else exactly those experts (`name@version`, installed or built-in) plus their dependencies.
	 */
	classify(inputs: ClassifyInput[], expertKeys: string[]): Promise<ClassifyRow[]>;
	/** The same as classify, as the classification domain's answers (what repository-scan.ts reads). */
	classifyDocuments(inputs: ClassifyInput[], expertKeys: string[]): Promise<ClassifiedDocument[]>;
	/** Linguist's evidence chain alone, no model (null where it leaves a choice): answers before the model has loaded. */
	classifyByEvidence(inputs: ClassifyInput[]): Promise<Array<ClassifiedDocument | null>>;
	/** The expert sets stored in this browser (each validated on read). */
	listExpertSets(): Promise<StoredExpertSets>;
	/**
	 * Tunes the stacking weights of the set `expertKeys` picks (as classify does) on files labelled by their
	 * folders (`<Language>/<file>` under the picked folder; unlabelled files are skipped and listed), reporting each
	 * step to `onProgress` (a Comlink.proxy), and stores the result as the expert set `options.name`. A bad option,
	 * or no labelled file, is a one-line error before any model work, and a failed tune stores nothing.
	 */
	tune(
		inputs: ClassifyInput[],
		expertKeys: string[],
		options: TuneOptions,
		onProgress: (progress: TuneProgress) => void
	): Promise<TuneOutcome>;
	/**
	 * Generates for an OpenAI-style chat request (its `experts` are keys or names, dependencies added), under the
	 * constraint it asks for or its experts declare; each text piece goes to `onText` (a Comlink.proxy) as it comes.
	 */
	generate(request: ChatRequest, onText: (text: string) => void): Promise<GenerateOutcome>;
}

/** A generation and whether its output parses as what its constraint promised (JSON.parse; Neo4j's Cypher grammar). */
export interface GenerateOutcome extends ChatResult {
	/** null for free text; else whether the output parses, with the parser's first complaint. */
	parses: { ok: boolean; detail: string } | null;
}
