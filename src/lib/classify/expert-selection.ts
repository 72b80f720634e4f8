// Which experts classify a file: "auto" is the document classifier on the stack it was trained on (its
// dependencies) — or the shipped `auto` expert set's tuned weights when there is one — plus the routed experts
// routing picks for the file that were measured to help on files routed to them; "@name" is a named expert set
// (its routed experts likewise); a list names experts (weight 1); "none" is the bare base model. The result is
// always a full load plan (dependencies included, load order). Browser-safe.
import { EXPERT_NAME_PATTERN, type ExpertManifest } from '../experts/manifest.ts';
import { resolveLoadPlan } from '../experts/resolver.ts';
import { routeInput } from '../experts/router.ts';
import { weightedExperts, type ExpertSet, type SetScore } from '../experts/expert-set.ts';
import { ExpertError } from '../errors.ts';
import { weighted, type StackEntry } from '../runtime/expert-stack.ts';
import type { DocumentInput } from './document-classifier.ts';

export const CLASSIFIER_EXPERT = 'document-classifier';
/** The expert whose head names languages from content; `auto` adds it when installed. */
export const LANGUAGE_ID_EXPERT = 'language-id';
/** The expert set `auto` uses when it exists (written by `expert tune --name auto`). */
export const AUTO_SET = 'auto';

export type ExpertSelection =
	{ mode: 'auto' } | { mode: 'none' } | { mode: 'list'; names: string[] } | { mode: 'set'; name: string };

export function parseExpertSelection(text: string): ExpertSelection {
	const trimmed = text.trim();
	if (trimmed === 'auto') return { mode: 'auto' };
	if (trimmed === 'none') return { mode: 'none' };
	if (trimmed.startsWith('@')) {
		const name = trimmed.slice(1);
		if (!EXPERT_NAME_PATTERN.test(name))
			throw new ExpertError(
				'bad-option',
				`--experts ${trimmed}: an expert set is @ and its name (lower-case words joined by hyphens)`
			);
		return { mode: 'set', name };
	}
	const names = trimmed
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	if (names.length === 0)
		throw new ExpertError('bad-option', '--experts must be auto, none, @set or a comma-separated list of expert names');
	return { mode: 'list', names };
}

/** Load plan of the requested experts as `name@version` ids, dependencies first. */
export function loadPlanIds(requested: string[], registry: ExpertManifest[]): string[] {
	return resolveLoadPlan(requested, registry).plan.map((entry) => `${entry.name}@${entry.version}`);
}

/** A routed expert helps when adding it raised language accuracy, or kept it and raised type accuracy. */
export function measuredToHelp(measured: { before: SetScore; after: SetScore }): boolean {
	const { before, after } = measured;
	return after.language > before.language || (after.language === before.language && after.type > before.type);
}

function namedSet(name: string, sets: ReadonlyMap<string, ExpertSet>): ExpertSet {
	const set = sets.get(name);
	if (!set)
		throw new ExpertError(
			'unknown-expert-set',
			`no expert set @${name} (known: ${[...sets.keys()].map((known) => `@${known}`).join(', ') || 'none; expert tune writes one'})`
		);
	return set;
}

/** The set's own stack plus, for a file, the routed experts routing picks that were measured to help. */
export function stackOfSet(
	set: Pick<ExpertSet, 'experts' | 'routed'>,
	registry: ExpertManifest[],
	file?: DocumentInput
): StackEntry[] {
	const stack: StackEntry[] = weightedExperts(set);
	if (!file || set.routed.length === 0) return stack;
	const picked = new Set(routeInput(file, registry).selected);
	for (const routed of set.routed) {
		if (!picked.has(routed.name) || !measuredToHelp(routed)) continue;
		const present = new Set(stack.map((entry) => (typeof entry === 'string' ? entry : entry.id).split('@')[0]));
		for (const id of loadPlanIds([routed.name], registry))
			if (!present.has(id.split('@')[0]))
				stack.push(id.startsWith(`${routed.name}@`) ? { id, weight: routed.weight } : id);
	}
	return stack;
}

/** The experts to activate for a selection (and, for routing, the file). */
export function expertsForSelection(
	selection: ExpertSelection,
	registry: ExpertManifest[],
	sets: ReadonlyMap<string, ExpertSet> = new Map(),
	file?: DocumentInput
): StackEntry[] {
	if (selection.mode === 'none') return [];
	if (selection.mode === 'list') return loadPlanIds(selection.names, registry);
	if (selection.mode === 'set') return stackOfSet(namedSet(selection.name, sets), registry, file);
	const auto = sets.get(AUTO_SET);
	const stack = auto ? stackOfSet(auto, registry, file) : loadPlanIds([CLASSIFIER_EXPERT], registry);
	const languageId =
		registry.some((m) => m.name === LANGUAGE_ID_EXPERT) &&
		!stack.some((e) => weighted(e).id.startsWith(`${LANGUAGE_ID_EXPERT}@`));
	return languageId ? [...stack, ...loadPlanIds([LANGUAGE_ID_EXPERT], registry)] : stack;
}

export interface RoutingVerdict {
	name: string;
	added: boolean;
	reason: string;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** "on 39 files routed to it, language 97.4% -> 100.0%, type 100.0% -> 100.0%": what a routed expert's measurement says. */
export function measuredFigures(measured: { before: SetScore; after: SetScore }): string {
	const { before, after } = measured;
	return `on ${before.files} file${before.files === 1 ? '' : 's'} routed to it, language ${percent(before.language)} -> ${percent(after.language)}, type ${percent(before.type)} -> ${percent(after.type)}`;
}

/** For each expert routing picks for the file outside the selection's own stack: added or left out, and why. */
export function explainRouting(
	selection: ExpertSelection,
	registry: ExpertManifest[],
	sets: ReadonlyMap<string, ExpertSet>,
	file: DocumentInput
): RoutingVerdict[] {
	if (selection.mode === 'none' || selection.mode === 'list') return [];
	const set = selection.mode === 'set' ? namedSet(selection.name, sets) : sets.get(AUTO_SET);
	const own = new Set(
		set
			? set.experts.map((expert) => expert.name)
			: loadPlanIds([CLASSIFIER_EXPERT], registry).map((id) => id.split('@')[0])
	);
	const where = set ? `@${set.name}` : 'auto (no experts/sets/auto.json: nothing measured)';
	return routeInput(file, registry)
		.selected.filter((name) => !own.has(name))
		.map((name) => {
			const measured = set?.routed.find((routed) => routed.name === name);
			if (!measured)
				return {
					name,
					added: false,
					reason: `routed, left out: ${where} has no measurement of it on files routed to it (expert tune measures that)`
				};
			const figures = measuredFigures(measured);
			return measuredToHelp(measured)
				? { name, added: true, reason: `routed, added at weight ${measured.weight}: adding it helped ${figures}` }
				: { name, added: false, reason: `routed, left out: adding it did not help ${figures}` };
		});
}
