// The app's module Web Worker, exposed with comlink: probes the browser, keeps the expert cache
// (IndexedDB) and the stored expert sets, classifies, tunes and generates (AppClassifier); heavy work (hashing,
// unzipping, inference) stays off the UI thread.
import * as Comlink from 'comlink';
import { ExpertError } from '../errors.ts';
import { resolveLoadPlan } from '../experts/resolver.ts';
import type { AppWorkerApi, BaseModelSummary, ModelState } from './api.ts';
import { AppClassifier, classifyByEvidenceOnly, selectionOf } from './app-classifier.ts';
import { expertsForSelection } from '../classify/expert-selection.ts';
import { weighted } from '../runtime/expert-stack.ts';
import { fetchBuiltinExperts, unreplacedBuiltins, withStoredSets, type BuiltinCatalog } from './builtin-experts.ts';
import { readEmbeddedBase } from './embedded-base.ts';
import { probeEnvironment } from './environment.ts';
import { packExpertArchive } from './expert-archive.ts';
import { cachedManifest, toInstalledExpert, validateExpertArchive } from './expert-install.ts';
import { CacheStore } from './store.ts';
import { carryErrorCodes } from './error-transfer.ts';
import { readStoredSets } from './stored-sets.ts';
import { parseChatRequest } from '../generation/chat-completion.ts';
import { outputParses } from '../generation/output-check.ts';

let appUrl: string | null = null;
let basePromise: Promise<BaseModelSummary | null> | null = null;
let builtinPromise: Promise<BuiltinCatalog> | null = null;
let classifier: AppClassifier | null = null;
/** The last configuration applied: the same one again keeps the loaded model. */
let configuredKey = '';
let storePromise: Promise<CacheStore> | null = null;

function store(): Promise<CacheStore> {
	storePromise ??= CacheStore.open({ storage: navigator.storage }).catch((error) => {
		storePromise = null;
		throw error;
	});
	return storePromise;
}

async function downloadArchive(url: string): Promise<Uint8Array> {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new ExpertError('bad-url', `"${url}" is not a URL`);
	}
	const response = await fetch(parsed).catch((error: unknown) => {
		throw new ExpertError(
			'download-failed',
			`could not download ${url}: ${error instanceof Error ? error.message : String(error)}`
		);
	});
	if (!response.ok)
		throw new ExpertError(
			'download-failed',
			`could not download ${url}: the server answered ${response.status} ${response.statusText}`.trim()
		);
	return new Uint8Array(await response.arrayBuffer());
}

/** The experts and sets shipped with the build (fetched once per configuration; asked again after a failure). */
function builtinExperts(): Promise<BuiltinCatalog> {
	if (!appUrl) return Promise.resolve({ experts: [], sets: [] });
	builtinPromise ??= fetchBuiltinExperts(appUrl).catch((error: unknown) => {
		builtinPromise = null;
		throw error;
	});
	return builtinPromise;
}

/** The shipped sets with the stored ones over them. */
async function allSets() {
	return withStoredSets((await builtinExperts()).sets, (await readStoredSets(await store())).sets);
}

/** Installed experts (cache entries) and the built-ins they do not replace. */
async function availableExperts() {
	const installed = await (await store()).list('expert');
	const builtin = unreplacedBuiltins((await builtinExperts()).experts, new Set(installed.map((entry) => entry.key)));
	return { installed, builtin };
}

/** The embedded base's shape (experts are checked against it); null when the build ships none (asked again next time). */
function embeddedBase(url: string): Promise<BaseModelSummary | null> {
	basePromise ??= readEmbeddedBase(new URL('models/', url).href).then((base) => {
		if (!base) basePromise = null;
		return base;
	});
	return basePromise;
}

async function modelState(): Promise<ModelState> {
	const unloaded = { loaded: false, loading: false, download: null, fallback: null };
	if (!appUrl || !classifier) return { ...unloaded, detail: 'the page has not configured the worker yet', base: null };
	const base = await embeddedBase(appUrl);
	if (!base) return { ...unloaded, detail: 'this build ships no embedded base model', base };
	return { ...classifier.describe(), base };
}

/** The classifier, base not loaded yet; a one-line error when the worker is not configured or the build ships no base. */
async function configuredClassifier(): Promise<AppClassifier> {
	const { base, detail } = await modelState();
	if (!base || !classifier) throw new ExpertError('model-not-loaded', `model not loaded: ${detail}`);
	return classifier;
}

/** The classifier with its base loaded; a one-line error when the build ships no base or loading fails. */
async function readyClassifier(): Promise<AppClassifier> {
	const ready = await configuredClassifier();
	await ready.loadBase();
	return ready;
}

const api: AppWorkerApi = {
	async configure(options) {
		const key = JSON.stringify([options.appUrl, options.appVersion, options.runtime]);
		if (key === configuredKey) return;
		configuredKey = key;
		appUrl = options.appUrl;
		basePromise = null;
		builtinPromise = null;
		classifier = new AppClassifier(
			{ url: appUrl, version: options.appVersion },
			options.runtime,
			store,
			builtinExperts
		);
	},

	environment: probeEnvironment,

	modelState,

	async listExperts() {
		const { installed, builtin } = await availableExperts();
		return [...installed.map(toInstalledExpert), ...builtin.map((expert) => expert.listing)].sort((a, b) =>
			a.key.localeCompare(b.key)
		);
	},

	async installExpert(archive, source, options = {}) {
		const { key, files, summary } = validateExpertArchive(archive, source, (await modelState()).base);
		const { installed, builtin } = await availableExperts();
		const replaced = installed.some((entry) => entry.key === key)
			? 'installed'
			: builtin.some((expert) => expert.key === key)
				? 'builtin'
				: null;
		if (replaced === 'builtin' && !options.shadowBuiltin)
			return {
				status: 'needs-confirmation',
				key,
				reason: `${key} is a built-in expert: the package would be used instead of it until you remove the package`
			};
		const entry = await (await store()).put('expert', key, files as Record<string, Uint8Array>, summary);
		return { status: 'installed', expert: toInstalledExpert(entry), replaced };
	},

	async installExpertFromUrl(url, options) {
		const archive = await downloadArchive(url);
		return api.installExpert(archive, url, options);
	},

	async loadPlan(requests) {
		const { installed, builtin } = await availableExperts();
		const registry = [...installed.map(cachedManifest), ...builtin.map((expert) => expert.manifest)];
		const base = (await modelState()).base ?? undefined;
		const selection = selectionOf(requests);
		if (selection.mode !== 'set')
			return resolveLoadPlan(requests, registry, { base }).plan.map(({ name, version, load_order, reason }) => ({
				name,
				version,
				load_order,
				reason
			}));
		const sets = new Map((await allSets()).map((set) => [set.name, set]));
		const weights = new Map(
			expertsForSelection(selection, registry, sets)
				.map(weighted)
				.map((expert) => [expert.id, expert.weight])
		);
		const plan = resolveLoadPlan([...weights.keys()], registry, { base }).plan;
		return plan.map(({ name, version, load_order, reason }) => ({
			name,
			version,
			load_order,
			reason: `${reason}; weight ${weights.get(`${name}@${version}`) ?? 1} in @${selection.name}`
		}));
	},

	async removeExpert(key) {
		return (await store()).remove('expert', key);
	},

	async exportExpert(key) {
		const { entry, files } = await (await store()).get('expert', key);
		const { name, version } = toInstalledExpert(entry);
		const folder = `${name}-v${version.split('.')[0]}`;
		const bytes = packExpertArchive(folder, files);
		return Comlink.transfer({ fileName: `${name}-${version}.zip`, bytes }, [bytes.buffer as ArrayBuffer]);
	},

	async cacheReport() {
		const cache = await store();
		return { usage: await cache.usage(), entries: await cache.list() };
	},

	async loadModel(expertKeys) {
		await (await readyClassifier()).prepare(expertKeys);
		return modelState();
	},

	async classify(inputs, expertKeys) {
		return (await readyClassifier()).classify(inputs, expertKeys);
	},

	async classifyDocuments(inputs, expertKeys) {
		return (await readyClassifier()).classifyDocuments(inputs, expertKeys);
	},

	async classifyByEvidence(inputs) {
		return classifyByEvidenceOnly(inputs);
	},

	async listExpertSets() {
		const stored = await readStoredSets(await store());
		return { sets: withStoredSets((await builtinExperts()).sets, stored.sets), problems: stored.problems };
	},

	async tune(inputs, expertKeys, options, onProgress) {
		// The classifier checks the options and labels before it loads the base.
		return (await configuredClassifier()).tune(inputs, expertKeys, options, onProgress);
	},

	async generate(request, onText) {
		const result = await (await readyClassifier()).generate(parseChatRequest(request), onText);
		return { ...result, parses: outputParses(result.text, result.constraint) };
	}
};

carryErrorCodes();
Comlink.expose(api);
