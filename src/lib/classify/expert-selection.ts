// Which experts classify a file: "auto" is the document classifier on the stack it was trained on (its
// dependencies), a list names them, "none" is the bare base model; the result is always a full load plan
// (dependencies included, load order). Browser-safe.
import type { ExpertManifest } from '../experts/manifest.ts';
import { resolveLoadPlan } from '../experts/resolver.ts';
import { ExpertError } from '../errors.ts';

export const CLASSIFIER_EXPERT = 'document-classifier';

export type ExpertSelection = { mode: 'auto' } | { mode: 'none' } | { mode: 'list'; names: string[] };

export function parseExpertSelection(text: string): ExpertSelection {
	const trimmed = text.trim();
	if (trimmed === 'auto') return { mode: 'auto' };
	if (trimmed === 'none') return { mode: 'none' };
	const names = trimmed.split(',').map((name) => name.trim()).filter(Boolean);
	if (names.length === 0) throw new ExpertError('bad-option', '--experts must be auto, none, or a comma-separated list of expert names');
	return { mode: 'list', names };
}

/** Load plan of the requested experts as `name@version` ids, dependencies first. */
export function loadPlanIds(requested: string[], registry: ExpertManifest[]): string[] {
	return resolveLoadPlan(requested, registry).plan.map((entry) => `${entry.name}@${entry.version}`);
}

/**
 * The experts to activate for a selection. "auto" does not add the experts routing picks for the file: stacked
 * on top of the classifier's own stack they lower its accuracy (`npm run eval`, "Does stacking help?").
 */
export function expertsForSelection(selection: ExpertSelection, registry: ExpertManifest[]): string[] {
	if (selection.mode === 'none') return [];
	return loadPlanIds(selection.mode === 'list' ? selection.names : [CLASSIFIER_EXPERT], registry);
}
