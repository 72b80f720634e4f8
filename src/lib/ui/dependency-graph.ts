// Lays out the experts' dependency graph for drawing: one node per expert name (plus required names not
// installed, marked missing), edges from an expert to what it requires, columns by dependency depth.
import { splitRequirement } from '../experts/manifest.ts';

export interface GraphExpert {
	name: string;
	requires: string[];
}

export interface GraphNode {
	name: string;
	missing: boolean;
	column: number;
	row: number;
}

export interface GraphLayout {
	nodes: GraphNode[];
	edges: Array<{ from: string; to: string }>;
	columns: number;
	rows: number;
}

export function layoutDependencyGraph(experts: GraphExpert[]): GraphLayout {
	const requiresByName = new Map<string, Set<string>>();
	for (const expert of experts) {
		const set = requiresByName.get(expert.name) ?? new Set<string>();
		for (const requirement of expert.requires) set.add(splitRequirement(requirement).name);
		requiresByName.set(expert.name, set);
	}
	const installed = new Set(requiresByName.keys());
	for (const needed of [...requiresByName.values()].flatMap((set) => [...set])) if (!requiresByName.has(needed)) requiresByName.set(needed, new Set());

	const depth = new Map<string, number>();
	const depthOf = (name: string, visiting: Set<string>): number => {
		const known = depth.get(name);
		if (known !== undefined) return known;
		if (visiting.has(name)) return 0; // a cycle: the resolver reports it; drawing just stops here
		visiting.add(name);
		const value = Math.max(-1, ...[...(requiresByName.get(name) ?? [])].map((needed) => depthOf(needed, visiting))) + 1;
		visiting.delete(name);
		depth.set(name, value);
		return value;
	};
	const names = [...requiresByName.keys()].sort();
	const rowsUsed: number[] = [];
	const nodes = names.map((name) => {
		const column = depthOf(name, new Set());
		const row = rowsUsed[column] ?? 0;
		rowsUsed[column] = row + 1;
		return { name, missing: !installed.has(name), column, row };
	});
	const edges = names.flatMap((name) => [...(requiresByName.get(name) ?? [])].map((to) => ({ from: name, to })));
	return { nodes, edges, columns: rowsUsed.length, rows: Math.max(0, ...rowsUsed) };
}
