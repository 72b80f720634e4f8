// Dependency resolution: picks one version of every requested expert and of everything they require
// (semver ranges, highest satisfying version, backtracking on conflicts) and orders the load plan by
// load_order, then topologically. Every failure is a typed ExpertError subclass with a one-line message.
import semver from 'semver';
import { ExpertError } from '../errors.ts';
import { requirementProblem, splitRequirement, type ExpertManifest } from './manifest.ts';

export class InvalidRequestError extends ExpertError {
	constructor(message: string) {
		super('bad-request', message);
	}
}
export class DuplicateExpertError extends ExpertError {
	constructor(message: string) {
		super('duplicate-expert', message);
	}
}
export class MissingDependencyError extends ExpertError {
	constructor(message: string) {
		super('missing-dependency', message);
	}
}
export class VersionConflictError extends ExpertError {
	constructor(message: string) {
		super('version-conflict', message);
	}
}
export class DependencyCycleError extends ExpertError {
	constructor(message: string) {
		super('dependency-cycle', message);
	}
}
export class BaseModelMismatchError extends ExpertError {
	constructor(message: string) {
		super('base-model-mismatch', message);
	}
}

export interface LoadPlanEntry {
	name: string;
	version: string;
	load_order: number;
	/** Why the expert is in the plan: requested by the user and/or required by other experts. */
	reason: string;
	manifest: ExpertManifest;
}

export interface LoadPlan {
	plan: LoadPlanEntry[];
}

export type BaseModelSummary = NonNullable<ExpertManifest['base_model']>;

/** One range an expert must satisfy and who asked for it (null: the user's request). */
interface Constraint {
	range: string;
	by: ExpertManifest | null;
}

const REQUESTED = 'the request';
const label = (manifest: ExpertManifest) => `${manifest.name}@${manifest.version}`;
const askedBy = (constraint: Constraint) => (constraint.by ? label(constraint.by) : REQUESTED);

function indexRegistry(registry: ExpertManifest[]): Map<string, ExpertManifest[]> {
	const byName = new Map<string, ExpertManifest[]>();
	for (const manifest of registry) {
		const versions = byName.get(manifest.name) ?? [];
		if (versions.some((other) => other.version === manifest.version)) {
			throw new DuplicateExpertError(
				`duplicate expert ${label(manifest)}: the registry holds two packages with that name and version`
			);
		}
		versions.push(manifest);
		byName.set(manifest.name, versions);
	}
	for (const versions of byName.values()) versions.sort((a, b) => semver.rcompare(a.version, b.version));
	return byName;
}

function parseRequests(requests: string[]): Map<string, Constraint[]> {
	if (requests.length === 0) throw new InvalidRequestError('nothing to resolve: name at least one expert');
	const constraints = new Map<string, Constraint[]>();
	for (const request of requests) {
		const problem = requirementProblem(request);
		if (problem) throw new InvalidRequestError(`bad request ${problem}`);
		const { name, range } = splitRequirement(request);
		constraints.set(name, [...(constraints.get(name) ?? []), { range, by: null }]);
	}
	return constraints;
}

/** The error explaining why no version of `name` can be chosen under `constraints`. */
function unsatisfiable(name: string, constraints: Constraint[], versions: ExpertManifest[]): ExpertError {
	const askers = constraints
		.map((c) => `${c.range === '*' ? 'any version' : c.range} (asked by ${askedBy(c)})`)
		.join(', ');
	if (versions.length === 0)
		return new MissingDependencyError(
			`missing dependency: no expert named ${name} in the registry, needed as ${askers}`
		);
	const available = versions.map((v) => v.version).join(', ');
	return new VersionConflictError(`no version of ${name} satisfies ${askers}; available: ${available}`);
}

interface SearchState {
	chosen: Map<string, ExpertManifest>;
	constraints: Map<string, Constraint[]>;
}

type SearchResult = { chosen: Map<string, ExpertManifest> } | { failure: ExpertError };

/** Depth-first search over versions, highest first; returns the first complete consistent choice. */
function search(state: SearchState, byName: Map<string, ExpertManifest[]>): SearchResult {
	const pending = [...state.constraints.keys()].find((name) => !state.chosen.has(name));
	if (pending === undefined) return { chosen: state.chosen };
	const constraints = state.constraints.get(pending) as Constraint[];
	const versions = byName.get(pending) ?? [];
	const candidates = versions.filter((v) => constraints.every((c) => semver.satisfies(v.version, c.range)));
	if (candidates.length === 0) return { failure: unsatisfiable(pending, constraints, versions) };
	let firstFailure: ExpertError | null = null;
	for (const candidate of candidates) {
		const next = tryCandidate(state, candidate, byName);
		if ('chosen' in next) return next;
		firstFailure ??= next.failure;
	}
	return { failure: firstFailure as ExpertError };
}

function tryCandidate(
	state: SearchState,
	candidate: ExpertManifest,
	byName: Map<string, ExpertManifest[]>
): SearchResult {
	const constraints = new Map(state.constraints);
	for (const requirement of candidate.constraints.requires) {
		const { name, range } = splitRequirement(requirement);
		const list = [...(constraints.get(name) ?? []), { range, by: candidate }];
		constraints.set(name, list);
		const already = state.chosen.get(name);
		if (already && !semver.satisfies(already.version, range))
			return { failure: unsatisfiable(name, list, byName.get(name) ?? []) };
	}
	const chosen = new Map(state.chosen).set(candidate.name, candidate);
	return search({ chosen, constraints }, byName);
}

/** A dependency cycle among the chosen experts, as a list that starts and ends with the same expert. */
function findCycle(chosen: Map<string, ExpertManifest>): ExpertManifest[] | null {
	const state = new Map<string, 'visiting' | 'done'>();
	const stack: ExpertManifest[] = [];
	const visit = (manifest: ExpertManifest): ExpertManifest[] | null => {
		state.set(manifest.name, 'visiting');
		stack.push(manifest);
		for (const requirement of manifest.constraints.requires) {
			const dependency = chosen.get(splitRequirement(requirement).name) as ExpertManifest;
			if (state.get(dependency.name) === 'visiting') return [...stack.slice(stack.indexOf(dependency)), dependency];
			if (!state.has(dependency.name)) {
				const cycle = visit(dependency);
				if (cycle) return cycle;
			}
		}
		stack.pop();
		state.set(manifest.name, 'done');
		return null;
	};
	for (const name of [...chosen.keys()].sort()) {
		if (state.has(name)) continue;
		const cycle = visit(chosen.get(name) as ExpertManifest);
		if (cycle) return cycle;
	}
	return null;
}

/** Kahn's algorithm: among experts whose dependencies are placed, take the lowest (load_order, name). */
function orderPlan(chosen: Map<string, ExpertManifest>): ExpertManifest[] {
	const cycle = findCycle(chosen);
	if (cycle) throw new DependencyCycleError(`dependency cycle: ${cycle.map(label).join(' -> ')}`);
	const placed = new Set<string>();
	const ordered: ExpertManifest[] = [];
	const rank = (m: ExpertManifest) => [m.constraints.load_order, m.name] as const;
	while (ordered.length < chosen.size) {
		const ready = [...chosen.values()]
			.filter((m) => !placed.has(m.name) && m.constraints.requires.every((r) => placed.has(splitRequirement(r).name)))
			.sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1].localeCompare(rank(b)[1]));
		ordered.push(ready[0]);
		placed.add(ready[0].name);
	}
	return ordered;
}

function checkBaseModels(plan: ExpertManifest[], base: BaseModelSummary | undefined): void {
	const sameBase = (a: BaseModelSummary, b: BaseModelSummary) =>
		a.hidden_size === b.hidden_size && a.num_hidden_layers === b.num_hidden_layers;
	const describe = (b: BaseModelSummary) => `${b.name} (hidden ${b.hidden_size}, ${b.num_hidden_layers} layers)`;
	const declaring = plan.filter((m) => m.base_model);
	if (base) {
		const wrong = declaring.find((m) => !sameBase(m.base_model as BaseModelSummary, base));
		if (wrong)
			throw new BaseModelMismatchError(
				`base-model mismatch: ${label(wrong)} is built for ${describe(wrong.base_model as BaseModelSummary)}, the loaded base is ${describe(base)}`
			);
	}
	const first = declaring[0];
	const other = declaring.find(
		(m) => !sameBase(m.base_model as BaseModelSummary, first.base_model as BaseModelSummary)
	);
	if (other) {
		throw new BaseModelMismatchError(
			`base-model mismatch: ${label(first)} is built for ${describe(first.base_model as BaseModelSummary)} but ${label(other)} for ${describe(other.base_model as BaseModelSummary)}`
		);
	}
}

function reasonFor(manifest: ExpertManifest, constraints: Constraint[]): string {
	const requested = constraints
		.filter((c) => c.by === null)
		.map((c) => (c.range === '*' ? manifest.name : `${manifest.name}@${c.range}`));
	const requiredBy = constraints.filter((c) => c.by !== null).map((c) => `${askedBy(c)} (${c.range})`);
	const parts: string[] = [];
	if (requested.length > 0) parts.push(`requested as ${[...new Set(requested)].join(', ')}`);
	if (requiredBy.length > 0) parts.push(`required by ${requiredBy.join(', ')}`);
	return parts.join('; ');
}

/**
 * Resolves "name" / "name@range" requests against the available manifests (several versions each).
 * `options.base` is the loaded base model, checked against experts that declare base_model.
 */
export function resolveLoadPlan(
	requests: string[],
	registry: ExpertManifest[],
	options: { base?: BaseModelSummary } = {}
): LoadPlan {
	const byName = indexRegistry(registry);
	const result = search({ chosen: new Map(), constraints: parseRequests(requests) }, byName);
	if ('failure' in result) throw result.failure;
	const ordered = orderPlan(result.chosen);
	checkBaseModels(ordered, options.base);
	const requested = parseRequests(requests);
	const constraintsOf = (name: string): Constraint[] => {
		const asked = requested.get(name) ?? [];
		const fromDeps = ordered.flatMap((m) =>
			m.constraints.requires
				.map(splitRequirement)
				.filter((r) => r.name === name)
				.map((r) => ({ range: r.range, by: m }))
		);
		return [...asked, ...fromDeps];
	};
	return {
		plan: ordered.map((manifest) => ({
			name: manifest.name,
			version: manifest.version,
			load_order: manifest.constraints.load_order,
			reason: reasonFor(manifest, constraintsOf(manifest.name)),
			manifest
		}))
	};
}
