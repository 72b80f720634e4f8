// The app worker's classifier: loads the embedded base model lazily (on the first classify) on the backend
// and precision the settings and the browser probe pick, keeps one ClassificationSession over the built-in
// and installed experts and the stored expert sets, reports its state, turns files into result rows, tunes
// a set's stacking weights on labelled files (storing the tuned set), and runs chat generations.
import { webLinguistHeuristics } from '../classify/linguist-heuristics-web.ts';
import { ClassificationSession, type ClassifiedDocument } from '../classify/classification-session.ts';
import { classifyByEvidence } from '../classify/document-classifier.ts';
import { LanguageHead } from '../classify/language-head.ts';
import { OPTIONAL_PACKAGE_FILES, PACKAGE_FILES } from '../experts/package.ts';
import { parseExpertSelection, type ExpertSelection } from '../classify/expert-selection.ts';
import { describeError, ExpertError } from '../errors.ts';
import type { ExpertSet } from '../experts/expert-set.ts';
import type { ExpertManifest } from '../experts/manifest.ts';
import { runChatCompletion, type ChatRequest, type ChatResult } from '../generation/chat-completion.ts';
import { BASE_MODEL_NAME } from '../model/base-model-config.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import { loadAdapterWeights, type LoadedAdapter } from '../runtime/adapter-weights.ts';
import { weighted } from '../runtime/expert-stack.ts';
import { createWebHost, type WebBackend } from '../runtime/host-web.ts';
import { loadModelFromUrl } from '../runtime/load-web.ts';
import { readyGraphCache } from './ready-graph-cache.ts';
import type { LoadedModel } from '../runtime/model-runtime.ts';
import { ORT_ASSETS_DIR } from '../runtime/ort-assets.ts';
import type { DownloadProgress } from '../runtime/download-progress.ts';
import { routedVerdicts, tuneExpertSet, type TuneProgress } from '../tune/tune-expert-set.ts';
import type { ClassifyInput, ClassifyRow, ModelState, TuneOptions, TuneOutcome } from './api.ts';
import { classifyRowOf } from './classify-row.ts';
import {
	loadBuiltinAdapter,
	loadBuiltinLanguageHead,
	unreplacedBuiltins,
	withStoredSets,
	type BuiltinCatalog
} from './builtin-experts.ts';
import { probeEnvironment } from './environment.ts';
import { cachedManifest, parsePackageFiles } from './expert-install.ts';
import { resolveRuntime, type RuntimeSettings } from './runtime-settings.ts';
import type { CacheStore } from './store.ts';
import { readStoredSets, storedSetsKey, storeExpertSet } from './stored-sets.ts';
import { checkTuneOptions, labelPickedFiles } from './tune-input.ts';

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WebAssembly' } as const;

interface LoadedBase extends LoadedModel {
	/** e.g. "WebGPU, q4". */
	label: string;
	backend: WebBackend;
	/** Whether the backend was chosen by Automatic (and may still fall back). */
	automatic: boolean;
	builtin: BuiltinCatalog;
}

type Phase =
	| { name: 'idle' }
	| { name: 'loading'; label: string; download: DownloadProgress | null }
	| { name: 'loaded'; label: string; seconds: number; graphCached: boolean }
	| { name: 'failed'; message: string };

/** On Automatic, a first file slower than this on WebGPU means the adapter is no use here: WebAssembly takes over. */
const SLOW_WEBGPU_FIRST_FILE_MS = 15_000;

/** The file name the classifier sees: the last segment of the picked path. */
const fileNameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The answers Linguist's evidence chain gives alone (null where it leaves a choice): nothing loaded, so they come before the model. */
export function classifyByEvidenceOnly(inputs: ClassifyInput[]): Array<ClassifiedDocument | null> {
	return inputs.map(({ path, text, fileName }) => {
		const started = performance.now();
		const answer = classifyByEvidence(webLinguistHeuristics(), {
			fileName: fileName ?? fileNameOf(path),
			content: text
		});
		return answer && { ...answer, experts: [], milliseconds: performance.now() - started };
	});
}

/** No keys: auto; `["@name"]`: the stored set of that name; else those experts (a set is not mixed with experts). */
export function selectionOf(expertKeys: string[]): ExpertSelection {
	if (expertKeys.length === 0) return { mode: 'auto' };
	const set = expertKeys.find((key) => key.startsWith('@'));
	if (set === undefined) return { mode: 'list', names: expertKeys };
	if (expertKeys.length > 1)
		throw new ExpertError(
			'bad-selection',
			`the expert set ${set} is selected on its own, not together with other experts or sets`
		);
	return parseExpertSelection(set);
}

export class AppClassifier {
	private base: Promise<LoadedBase> | null = null;
	private phase: Phase = { name: 'idle' };
	private session: { registryKey: string; session: ClassificationSession } | null = null;
	/** The stored expert sets the session resolves `@name` (and `auto`) with, refreshed when the store changes. */
	private readonly sets = new Map<string, ExpertSet>();
	private setsKey: string | null = null;
	/** Why Automatic moved off WebGPU during this configuration (load failure, slow first file), if it did. */
	private fallbackReason: string | null = null;
	/** Whether the first file on Automatic's WebGPU has been timed. */
	private webgpuTimed = false;
	/** The model call in progress (classifyDocuments runs them one after another). */
	private modelCalls: Promise<unknown> = Promise.resolve();

	/** `app`: the app's root URL (absolute, ending in a slash) and its build's version. */
	constructor(
		private readonly app: { url: string; version: string },
		private readonly settings: RuntimeSettings,
		private readonly store: () => Promise<CacheStore>,
		private readonly builtinExperts: () => Promise<BuiltinCatalog>
	) {}

	/** One line on the base model: when it loads, what is loading, what is loaded, or why loading failed. */
	describe(): Omit<ModelState, 'base'> {
		const { phase } = this;
		const state = { loaded: false, loading: false, download: null, fallback: this.fallbackReason };
		if (phase.name === 'loaded')
			return {
				...state,
				loaded: true,
				detail: `${BASE_MODEL_NAME} on ${phase.label}, loaded in ${phase.seconds.toFixed(1)} s${phase.graphCached ? ' (graph cached by an earlier visit)' : ''}`
			};
		if (phase.name === 'loading')
			return {
				...state,
				loading: true,
				download: phase.download,
				detail: `loading ${BASE_MODEL_NAME} on ${phase.label}…`
			};
		if (phase.name === 'failed') return { ...state, detail: `loading ${BASE_MODEL_NAME} failed: ${phase.message}` };
		return {
			...state,
			detail: `${BASE_MODEL_NAME} loads on the first classify (backend ${this.settings.backend}, precision ${this.settings.precision})`
		};
	}

	/** The backend and precision this configuration loads with: Automatic takes WebGPU only on a hardware adapter, and not after a fallback. */
	private async chooseRuntime() {
		const environment = await probeEnvironment();
		const automatic = this.settings.backend === 'auto';
		const webgpuUsable = environment.webgpuRefusal === null && this.fallbackReason === null;
		return { ...resolveRuntime(this.settings, webgpuUsable), automatic };
	}

	private async loadOn(backend: WebBackend, precision: WeightPrecision, started: number): Promise<LoadedBase> {
		const label = `${BACKEND_NAMES[backend]}, ${precision}`;
		const phase: Phase = { name: 'loading', label, download: null };
		this.phase = phase;
		const onDownload = (progress: DownloadProgress) => (phase.download = progress);
		const host = await createWebHost({ wasmPaths: new URL(`${ORT_ASSETS_DIR}/`, this.app.url).href, backend });
		const store = await this.store().catch(() => null);
		const readyGraph = store ? readyGraphCache(store, BASE_MODEL_NAME, precision, this.app.version) : undefined;
		const [model, builtin] = await Promise.all([
			loadModelFromUrl(host, new URL(`models/${BASE_MODEL_NAME}`, this.app.url).href, {
				precision,
				onDownload,
				readyGraph
			}),
			this.builtinExperts()
		]);
		this.phase = {
			name: 'loaded',
			label,
			seconds: (performance.now() - started) / 1000,
			graphCached: model.graphCached
		};
		return { ...model, label, backend, automatic: false, builtin };
	}

	/** Loads the base (once per configuration); on Automatic a WebGPU failure falls back to WebAssembly and says why. */
	loadBase(): Promise<LoadedBase> {
		this.base ??= (async () => {
			const started = performance.now();
			const { backend, precision, automatic } = await this.chooseRuntime();
			try {
				return { ...(await this.loadOn(backend, precision, started)), automatic };
			} catch (error) {
				if (!automatic || backend !== 'webgpu') throw error;
				this.fallbackReason = `WebGPU failed to load the model (${describeError(error)}), so WebAssembly is used`;
				const fallback = resolveRuntime(this.settings, false);
				return { ...(await this.loadOn(fallback.backend, fallback.precision, started)), automatic };
			}
		})().catch((error: unknown) => {
			this.base = null;
			this.phase = { name: 'failed', message: describeError(error) };
			throw error;
		});
		return this.base;
	}

	/** After Automatic's first file on WebGPU: if it was far slower than WebAssembly would be, reload on WebAssembly. */
	private async checkWebgpuSpeed(base: LoadedBase, milliseconds: number): Promise<void> {
		if (!base.automatic || base.backend !== 'webgpu' || this.webgpuTimed) return;
		this.webgpuTimed = true;
		if (milliseconds < SLOW_WEBGPU_FIRST_FILE_MS) return;
		this.fallbackReason = `WebGPU took ${(milliseconds / 1000).toFixed(0)} s on the first file, so WebAssembly is used`;
		this.base = null;
		this.session = null;
		await this.loadBase();
	}

	/** Re-reads the sets (shipped, and stored over them) into `this.sets` when a stored entry was added, replaced or removed since the last read. */
	private async refreshSets(cache: CacheStore, shipped: BuiltinCatalog['sets']): Promise<void> {
		const key = await storedSetsKey(cache);
		if (key === this.setsKey) return;
		const { sets } = await readStoredSets(cache);
		this.sets.clear();
		for (const set of withStoredSets(shipped, sets)) this.sets.set(set.name, set);
		this.setsKey = key;
	}

	/** A session over the built-in and installed experts (an installed package wins over a built-in one of the same version) and the stored sets. */
	private async currentSession(base: LoadedBase): Promise<ClassificationSession> {
		const cache = await this.store();
		await this.refreshSets(cache, base.builtin.sets);
		const installed = new Map((await cache.list('expert')).map((entry) => [entry.key, cachedManifest(entry)]));
		const builtin = new Map(
			unreplacedBuiltins(base.builtin.experts, new Set(installed.keys())).map((expert) => [expert.key, expert])
		);
		const registry: ExpertManifest[] = [
			...installed.values(),
			...[...builtin.values()].map((expert) => expert.manifest)
		];
		const registryKey = [...installed.keys(), '|', ...builtin.keys()].join(',');
		if (this.session?.registryKey !== registryKey) {
			const loadAdapter = async (id: string): Promise<LoadedAdapter> => {
				if (installed.has(id)) {
					const source = `installed expert ${id}`;
					return loadAdapterWeights(
						base.runtime.config,
						parsePackageFiles((await cache.get('expert', id)).files, source),
						source
					);
				}
				const shipped = builtin.get(id);
				if (!shipped) throw new ExpertError('unknown-expert', `expert ${id} is neither installed nor built in`);
				return loadBuiltinAdapter(base.runtime.config, shipped);
			};
			const loadLanguageHead = async (id: string): Promise<LanguageHead> => {
				if (installed.has(id)) {
					const { files } = await cache.get('expert', id);
					const config = files[OPTIONAL_PACKAGE_FILES.headConfig];
					if (!config)
						throw new ExpertError(
							'bad-language-head',
							`installed expert ${id} has no ${OPTIONAL_PACKAGE_FILES.headConfig} (no language head)`
						);
					return LanguageHead.fromFiles(
						new TextDecoder().decode(config),
						files[PACKAGE_FILES.adapterWeights],
						`installed expert ${id}`
					);
				}
				const shipped = builtin.get(id);
				if (!shipped) throw new ExpertError('unknown-expert', `expert ${id} is neither installed nor built in`);
				return loadBuiltinLanguageHead(shipped);
			};
			this.session = {
				registryKey,
				session: new ClassificationSession(
					base.runtime,
					base.tokenizer,
					registry,
					loadAdapter,
					webLinguistHeuristics(),
					this.sets,
					loadLanguageHead
				)
			};
		}
		return this.session.session;
	}

	/** Loads the base and the adapters of the set `expertKeys` picks, before any file. */
	async prepare(expertKeys: string[]): Promise<void> {
		await (await this.currentSession(await this.loadBase())).prepare(selectionOf(expertKeys));
	}

	/** An OpenAI-style chat completion on the loaded base with the request's experts (see AppWorkerApi.generate). */
	async generate(request: ChatRequest, onText: (text: string) => void): Promise<ChatResult> {
		return runChatCompletion(await this.currentSession(await this.loadBase()), request, onText);
	}

	/**
	 * Searches the stacking weights of the set `expertKeys` picks on the labelled files, measures the routed
	 * experts, and stores the tuned set; options and labels are checked before the model loads.
	 */
	async tune(
		inputs: ClassifyInput[],
		expertKeys: string[],
		options: TuneOptions,
		onProgress: (progress: TuneProgress) => void
	): Promise<TuneOutcome> {
		checkTuneOptions(options);
		const selection = selectionOf(expertKeys);
		const { files, skipped, root } = labelPickedFiles(inputs);
		const session = await this.currentSession(await this.loadBase());
		const start = session.stackFor(selection).map(weighted);
		if (start.length === 0)
			throw new ExpertError('nothing-to-tune', 'the selected set has no experts whose weights could be tuned');
		await session.activate(start);
		const source = `${root ?? 'picked files'} (${files.length} files picked in the app)`;
		const labels = 'folder names (<Language>/<file>)';
		// A proxied callback answers with a promise; a page that went away must not fail the tune.
		const report = (progress: TuneProgress) =>
			void Promise.resolve(onProgress(progress) as unknown).catch(() => undefined);
		const result = await tuneExpertSet(session, files, {
			name: options.name,
			stack: start,
			source,
			labels,
			maxEvaluations: options.maxEvaluations,
			seed: options.seed,
			onProgress: report
		});
		await storeExpertSet(await this.store(), result.set);
		return { set: result.set, start, files: result.files, verdicts: routedVerdicts(result.set), unlabelled: skipped };
	}

	/** No expert keys: auto (the stored set `auto`, else the document classifier and its dependencies); `["@name"]`: that stored set; else exactly those experts plus their dependencies. */
	async classify(inputs: ClassifyInput[], expertKeys: string[]): Promise<ClassifyRow[]> {
		const answers = await this.classifyDocuments(inputs, expertKeys);
		return answers.map((answer, i) => classifyRowOf(inputs[i].path, answer));
	}

	/** The same as classify, as the classification domain answers (for repository-scan.ts). */
	/** One call at a time, whoever asks: an ONNX Runtime session refuses a second run while one is going. */
	classifyDocuments(inputs: ClassifyInput[], expertKeys: string[]): Promise<ClassifiedDocument[]> {
		const run = this.modelCalls.then(() => this.classifyInTurn(inputs, expertKeys));
		this.modelCalls = run.catch(() => undefined);
		return run;
	}

	private async classifyInTurn(inputs: ClassifyInput[], expertKeys: string[]): Promise<ClassifiedDocument[]> {
		if (inputs.length === 0) throw new ExpertError('no-input', 'no files to classify');
		const selection = selectionOf(expertKeys);
		const answers: ClassifiedDocument[] = [];
		for (const { path, text, fileName } of inputs) {
			const base = await this.loadBase();
			const answer = await (
				await this.currentSession(base)
			).classify({ fileName: fileName ?? fileNameOf(path), content: text }, selection);
			await this.checkWebgpuSpeed(base, answer.milliseconds);
			answers.push(answer);
		}
		return answers;
	}
}
