// Dependency resolution: the seed plan, diamonds, highest satisfying versions with backtracking,
// deterministic load_order ties, and typed one-line errors (missing, conflict, cycle, duplicate, base).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExpertManifest } from '../../src/lib/experts/manifest.ts';
import {
	BaseModelMismatchError,
	DependencyCycleError,
	DuplicateExpertError,
	InvalidRequestError,
	MissingDependencyError,
	resolveLoadPlan,
	VersionConflictError
} from '../../src/lib/experts/resolver.ts';

const expertsDir = path.resolve(import.meta.dirname, '../../experts');
const seedRegistry = readdirSync(expertsDir)
	.filter((dir) => existsSync(path.join(expertsDir, dir, 'manifest.json')))
	.map((dir) => JSON.parse(readFileSync(path.join(expertsDir, dir, 'manifest.json'), 'utf8')) as ExpertManifest);

function expert(
	id: string,
	loadOrder: number,
	requires: string[] = [],
	extra: Partial<ExpertManifest> = {}
): ExpertManifest {
	const [name, version] = id.split('@');
	return {
		name,
		version,
		description: `${name} test expert`,
		capabilities: [],
		constraints: { load_order: loadOrder, requires },
		routing: { keywords: [name], priority: 0.5 },
		...extra
	};
}

const planOf = (requests: string[], registry: ExpertManifest[]) =>
	resolveLoadPlan(requests, registry).plan.map((e) => `${e.name}@${e.version}`);

function errorOf(run: () => unknown): Error {
	try {
		run();
	} catch (error) {
		expect((error as Error).message).not.toContain('\n');
		return error as Error;
	}
	throw new Error('expected resolution to fail');
}

describe('resolveLoadPlan', () => {
	it('resolves document-classifier to the seed plan with versions, load orders and reasons', () => {
		const { plan } = resolveLoadPlan(['document-classifier'], seedRegistry);
		expect(plan.map((e) => [e.name, e.version, e.load_order])).toEqual([
			['json-parser', '2.0.0', 1],
			['english-basic', '1.0.0', 3],
			['neo4j-cypher', '1.0.0', 6],
			['document-classifier', '1.0.0', 9]
		]);
		expect(plan[0].reason).toBe('required by document-classifier@1.0.0 (>=2.0.0)');
		expect(plan[1].reason).toContain('neo4j-cypher@1.0.0 (>=1.0.0)');
		expect(plan[1].reason).toContain('document-classifier@1.0.0 (>=1.0.0)');
		expect(plan[3].reason).toBe('requested as document-classifier');
		expect(plan[3].manifest.routing.priority).toBe(0.8);
	});

	it('includes a shared dependency of a diamond once, before both sides', () => {
		const registry = [
			expert('top@1.0.0', 9, ['left@^1', 'right@^1']),
			expert('left@1.0.0', 5, ['base@>=1']),
			expert('right@1.0.0', 4, ['base@>=1.2']),
			expert('base@1.0.0', 1),
			expert('base@1.3.0', 1)
		];
		const { plan } = resolveLoadPlan(['top'], registry);
		expect(plan.map((e) => `${e.name}@${e.version}`)).toEqual(['base@1.3.0', 'right@1.0.0', 'left@1.0.0', 'top@1.0.0']);
		expect(plan[0].reason).toBe('required by right@1.0.0 (>=1.2), left@1.0.0 (>=1)'); // in plan order
	});

	it('picks the highest version that satisfies every range', () => {
		const registry = [
			expert('lib@1.0.0', 1),
			expert('lib@1.4.2', 1),
			expert('lib@2.0.0', 1),
			expert('app@1.0.0', 5, ['lib@^1.0.0'])
		];
		expect(planOf(['lib'], registry)).toEqual(['lib@2.0.0']);
		expect(planOf(['app'], registry)).toEqual(['lib@1.4.2', 'app@1.0.0']);
		expect(planOf(['app', 'lib@<1.4'], registry)).toEqual(['lib@1.0.0', 'app@1.0.0']);
	});

	it('backtracks to an older version when the newest one conflicts', () => {
		const registry = [
			expert('a@2.0.0', 5, ['b@^2']),
			expert('a@1.0.0', 5, ['b@^1']),
			expert('b@1.0.0', 1),
			expert('b@2.0.0', 1)
		];
		expect(planOf(['a', 'b@<2'], registry)).toEqual(['b@1.0.0', 'a@1.0.0']);
	});

	it('orders by load_order, breaks ties by name, and keeps dependencies first even against load_order', () => {
		const registry = [
			expert('zeta@1.0.0', 6),
			expert('alpha@1.0.0', 6),
			expert('mid@1.0.0', 3),
			expert('late-dep@1.0.0', 8),
			expert('early@1.0.0', 2, ['late-dep'])
		];
		expect(planOf(['zeta', 'alpha', 'mid'], registry)).toEqual(['mid@1.0.0', 'alpha@1.0.0', 'zeta@1.0.0']);
		expect(planOf(['mid', 'alpha', 'zeta'], [...registry].reverse())).toEqual([
			'mid@1.0.0',
			'alpha@1.0.0',
			'zeta@1.0.0'
		]);
		expect(planOf(['early', 'mid'], registry)).toEqual(['mid@1.0.0', 'late-dep@1.0.0', 'early@1.0.0']);
	});

	it('names a missing dependency and who needs it', () => {
		const error = errorOf(() =>
			resolveLoadPlan(
				['neo4j-cypher'],
				seedRegistry.filter((m) => m.name !== 'english-basic')
			)
		);
		expect(error).toBeInstanceOf(MissingDependencyError);
		expect(error.message).toBe(
			'missing dependency: no expert named english-basic in the registry, needed as >=1.0.0 (asked by neo4j-cypher@1.0.0)'
		);
		expect(errorOf(() => resolveLoadPlan(['nonexistent'], seedRegistry))).toBeInstanceOf(MissingDependencyError);
	});

	it('names the conflicting ranges, who asked for each, and the versions available', () => {
		const registry = [
			expert('lib@1.0.0', 1),
			expert('lib@2.0.0', 1),
			expert('old@1.0.0', 4, ['lib@^1']),
			expert('new@1.0.0', 5, ['lib@>=2'])
		];
		const error = errorOf(() => resolveLoadPlan(['old', 'new'], registry));
		expect(error).toBeInstanceOf(VersionConflictError);
		expect(error.message).toBe(
			'no version of lib satisfies ^1 (asked by old@1.0.0), >=2 (asked by new@1.0.0); available: 2.0.0, 1.0.0'
		);
		const seedConflict = errorOf(() => resolveLoadPlan(['document-classifier', 'json-parser@<2'], seedRegistry));
		expect(seedConflict.message).toBe(
			'no version of json-parser satisfies <2 (asked by the request), >=2.0.0 (asked by document-classifier@1.0.0); available: 2.0.0'
		);
	});

	it('prints a dependency cycle', () => {
		const registry = [
			expert('a@1.0.0', 1, ['b@1']),
			expert('b@1.0.0', 2, ['c@1']),
			expert('c@1.0.0', 3, ['a@1']),
			expert('d@1.0.0', 0, ['a@1'])
		];
		const error = errorOf(() => resolveLoadPlan(['d'], registry));
		expect(error).toBeInstanceOf(DependencyCycleError);
		expect(error.message).toBe('dependency cycle: a@1.0.0 -> b@1.0.0 -> c@1.0.0 -> a@1.0.0');
	});

	it('rejects two registry packages with the same name and version', () => {
		const error = errorOf(() =>
			resolveLoadPlan(['english-basic'], [...seedRegistry, expert('english-basic@1.0.0', 3)])
		);
		expect(error).toBeInstanceOf(DuplicateExpertError);
		expect(error.message).toMatch(/^duplicate expert english-basic@1\.0\.0/);
	});

	it('rejects experts built for different base models, or for another base than the loaded one', () => {
		const small = { name: 'tiny', hidden_size: 64, num_hidden_layers: 2 };
		const big = { name: 'qwen2.5-0.5b', hidden_size: 896, num_hidden_layers: 24 };
		const registry = [
			expert('a@1.0.0', 1, [], { base_model: small }),
			expert('b@1.0.0', 2, ['a@1'], { base_model: big }),
			expert('c@1.0.0', 3, [], { base_model: small })
		];
		const mixed = errorOf(() => resolveLoadPlan(['b'], registry));
		expect(mixed).toBeInstanceOf(BaseModelMismatchError);
		expect(mixed.message).toBe(
			'base-model mismatch: a@1.0.0 is built for tiny (hidden 64, 2 layers) but b@1.0.0 for qwen2.5-0.5b (hidden 896, 24 layers)'
		);
		expect(planOf(['a', 'c'], registry)).toEqual(['a@1.0.0', 'c@1.0.0']);
		const loaded = errorOf(() => resolveLoadPlan(['c'], registry, { base: big }));
		expect(loaded).toBeInstanceOf(BaseModelMismatchError);
		expect(loaded.message).toMatch(/c@1\.0\.0 is built for tiny .* the loaded base is qwen2\.5-0\.5b/);
	});

	it('rejects malformed requests', () => {
		expect(errorOf(() => resolveLoadPlan(['json-parser@>>2'], seedRegistry))).toBeInstanceOf(InvalidRequestError);
		expect(errorOf(() => resolveLoadPlan(['Bad Name'], seedRegistry)).message).toMatch(/is not an expert name/);
		expect(errorOf(() => resolveLoadPlan([], seedRegistry)).message).toBe(
			'nothing to resolve: name at least one expert'
		);
	});
});
