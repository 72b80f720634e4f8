// Routing: scores an input (file name + content sample + optional query) against every expert's
// routing keywords and priority, explains each score with the matched keywords, and resolves the
// dependency closure of the experts it picks.
import semver from 'semver';
import { matchKeyword, tokenizeInput, type KeywordHit, type TokenizedInput } from './keyword-match.ts';
import type { ExpertManifest } from './manifest.ts';
import { resolveLoadPlan, type LoadPlanEntry } from './resolver.ts';

export interface RouteInput {
	fileName?: string;
	content?: string;
	query?: string;
}

export interface RoutedExpert {
	name: string;
	version: string;
	/** (1 - e^-evidence) * priority: 0 without evidence, approaching the manifest priority with plenty. */
	score: number;
	priority: number;
	evidence: number;
	matched: Array<KeywordHit & { weight: number }>;
	reason: string;
}

export interface RouteResult {
	ranked: RoutedExpert[];
	/** Experts picked for this input (score within SELECT_FRACTION of the best and above minScore). */
	selected: string[];
	/** The load plan of the selected experts and everything they require. */
	plan: LoadPlanEntry[];
}

/** Only the start of large files is read: keywords show up early, and routing must stay cheap. */
export const CONTENT_SAMPLE_CHARS = 64 * 1024;
const SELECT_FRACTION = 0.5;
const DEFAULT_MIN_SCORE = 0.2;
/** Symbols ("{", "}") are weak evidence: each occurrence counts little (a few braces in a query say
 *  nothing, hundreds in a file do), and all of an expert's symbols together are capped. */
const SYMBOL_WEIGHT = 0.35;
const SYMBOL_HALF_COUNT = 8;
const SYMBOL_CAP = 0.6;
/** Most a keyword can add from one source: an extension is near-proof, a query word is the user's intent,
 *  content words are capped per keyword so one frequent word ("type") cannot outweigh several distinct ones. */
const SOURCE_WEIGHT = { extension: 3, query: 2, 'file name': 1, content: 0.6 } as const;

/** Saturating count in [0, 1): `halfCount` hits give half the evidence, many hits approach all of it. */
const saturate = (count: number, halfCount = 1) => count / (count + halfCount);

function hitWeight(hit: KeywordHit): number {
	if (hit.kind === 'symbol') return SYMBOL_WEIGHT * saturate(hit.count, SYMBOL_HALF_COUNT);
	if (hit.source === 'content' || hit.source === 'query') return SOURCE_WEIGHT[hit.source] * saturate(hit.count);
	return SOURCE_WEIGHT[hit.source];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function describeHit(hit: KeywordHit): string {
	const times = hit.count > 1 ? ` x${hit.count}` : '';
	return `${hit.keyword}${times} (${hit.source})`;
}

function scoreExpert(manifest: ExpertManifest, input: TokenizedInput): RoutedExpert {
	const matched = manifest.routing.keywords
		.flatMap((keyword) => matchKeyword(keyword, input))
		.map((hit) => ({ ...hit, weight: round(hitWeight(hit)) }));
	const symbolEvidence = Math.min(
		SYMBOL_CAP,
		matched.filter((h) => h.kind === 'symbol').reduce((sum, h) => sum + h.weight, 0)
	);
	const evidence = symbolEvidence + matched.filter((h) => h.kind !== 'symbol').reduce((sum, h) => sum + h.weight, 0);
	const priority = manifest.routing.priority;
	const score = (1 - Math.exp(-evidence)) * priority;
	const reason = matched.length
		? `matched ${matched.map(describeHit).join(', ')}; priority ${priority}`
		: 'no keyword matched';
	return {
		name: manifest.name,
		version: manifest.version,
		score: round(score),
		priority,
		evidence: round(evidence),
		matched,
		reason
	};
}

/** The highest version of each expert name (routing looks at the newest manifest). */
function newestByName(registry: ExpertManifest[]): ExpertManifest[] {
	const newest = new Map<string, ExpertManifest>();
	for (const manifest of registry) {
		const seen = newest.get(manifest.name);
		if (!seen || semver.gt(manifest.version, seen.version)) newest.set(manifest.name, manifest);
	}
	return [...newest.values()];
}

/** Ranks the registry's experts for an input and resolves the load plan of the ones it selects. */
export function routeInput(
	input: RouteInput,
	registry: ExpertManifest[],
	options: { minScore?: number } = {}
): RouteResult {
	const tokens = tokenizeInput({ ...input, content: input.content?.slice(0, CONTENT_SAMPLE_CHARS) });
	const ranked = newestByName(registry)
		.map((manifest) => scoreExpert(manifest, tokens))
		.filter((expert) => expert.score > 0)
		.sort((a, b) => b.score - a.score || b.priority - a.priority || a.name.localeCompare(b.name));
	const threshold = Math.max(options.minScore ?? DEFAULT_MIN_SCORE, (ranked[0]?.score ?? 0) * SELECT_FRACTION);
	const selected = ranked.filter((expert) => expert.score >= threshold).map((expert) => expert.name);
	const plan = selected.length > 0 ? resolveLoadPlan(selected, registry).plan : [];
	return { ranked, selected, plan };
}
