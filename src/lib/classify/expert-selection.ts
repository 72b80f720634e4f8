// Which experts classify a file: "auto" routes the file and adds the document classifier, a list names
// them, "none" is the bare base model; the result is always a full load plan (dependencies included,
// load order). Browser-safe.
import type { ExpertManifest } from '../experts/manifest.ts';
import { resolveLoadPlan } from '../experts/resolver.ts';
import { routeInput } from '../experts/router.ts';
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

/** The experts (`name@version`) to activate for one file, dependencies first (load plan order). */
export function expertsForFile(selection: ExpertSelection, registry: ExpertManifest[], file: { fileName: string; content: string }): string[] {
	if (selection.mode === 'none') return [];
	const requested = selection.mode === 'list' ? selection.names : [...new Set([...routeInput(file, registry).selected, CLASSIFIER_EXPERT])];
	return resolveLoadPlan(requested, registry).plan.map((entry) => `${entry.name}@${entry.version}`);
}
