// Lays out the experts' dependency graph for drawing with dagre: one node per expert name (plus required
// names not installed, marked missing), layered top-down with each expert above what it requires, edges
// routed between the layers (never through a box), sized in the SVG's own pixels.
import dagre from '@dagrejs/dagre';
import { splitRequirement } from '../experts/manifest.ts';

export interface GraphExpert {
	name: string;
	requires: string[];
}

export interface GraphNode {
	name: string;
	missing: boolean;
	/** Top-left corner and size, in SVG units. */
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface GraphEdge {
	from: string;
	to: string;
	/** The routed polyline, from the dependent's bottom to the dependency's top. */
	points: Array<{ x: number; y: number }>;
}

export interface GraphLayout {
	nodes: GraphNode[];
	edges: GraphEdge[];
	width: number;
	height: number;
}

export const NODE_HEIGHT = 34;
const CHAR_WIDTH = 8.2;
const NODE_PADDING = 24;
const MARGIN = 8;
/** Vertical gap above the row of unlinked experts, and the gap between boxes in it (dagre's ranksep and nodesep). */
const UNLINKED_GAP = 46;
const NODE_GAP = 18;

/** Expert name → the names it requires, with every required name present as a node (missing ones empty). */
function requirementGraph(experts: GraphExpert[]): {
	requiresByName: Map<string, Set<string>>;
	installed: Set<string>;
} {
	const requiresByName = new Map<string, Set<string>>();
	for (const expert of experts) {
		const set = requiresByName.get(expert.name) ?? new Set<string>();
		for (const requirement of expert.requires) set.add(splitRequirement(requirement).name);
		requiresByName.set(expert.name, set);
	}
	const installed = new Set(requiresByName.keys());
	for (const needed of [...requiresByName.values()].flatMap((set) => [...set]))
		if (!requiresByName.has(needed)) requiresByName.set(needed, new Set());
	return { requiresByName, installed };
}

/** The text in a node's box. */
export const graphNodeLabel = (name: string, missing: boolean) => `${name}${missing ? ' (missing)' : ''}`;

export function layoutDependencyGraph(experts: GraphExpert[]): GraphLayout {
	const { requiresByName, installed } = requirementGraph(experts);
	const graph = new dagre.graphlib.Graph();
	graph.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 46, edgesep: 12 });
	graph.setDefaultEdgeLabel(() => ({}));
	const all = [...requiresByName.keys()].sort();
	const linked = new Set(all.filter((name) => [...(requiresByName.get(name) ?? [])].some((needed) => needed !== name)));
	for (const requires of requiresByName.values()) for (const needed of requires) linked.add(needed);
	// With no edge at all, dagre's one row is the layout; otherwise the unlinked experts get a row below.
	const names = linked.size > 0 ? all.filter((name) => linked.has(name)) : all;
	const unlinked = all.filter((name) => !names.includes(name));
	const widthOf = (name: string) => graphNodeLabel(name, !installed.has(name)).length * CHAR_WIDTH + NODE_PADDING;
	for (const name of names) graph.setNode(name, { width: widthOf(name), height: NODE_HEIGHT });
	for (const name of names)
		for (const needed of [...(requiresByName.get(name) ?? [])].sort()) if (needed !== name) graph.setEdge(name, needed);
	dagre.layout(graph);
	const placed = names.map((name) => {
		const { x, y, width, height } = graph.node(name);
		return { name, missing: !installed.has(name), x: x - width / 2, y: y - height / 2, width, height };
	});
	if (unlinked.length > 0) {
		let x = Math.min(...placed.map((node) => node.x));
		const y = Math.max(...placed.map((node) => node.y + node.height)) + UNLINKED_GAP;
		for (const name of unlinked) {
			placed.push({ name, missing: !installed.has(name), x, y, width: widthOf(name), height: NODE_HEIGHT });
			x += widthOf(name) + NODE_GAP;
		}
	}
	const routed: GraphEdge[] = graph
		.edges()
		.map(({ v, w }) => ({ from: v, to: w, points: (graph.edge(v, w).points ?? []) as GraphEdge['points'] }));
	// The drawing's bounds cover the boxes and every routed edge (a long edge may swing wide of the boxes).
	const xs = [
		...placed.flatMap((node) => [node.x, node.x + node.width]),
		...routed.flatMap((edge) => edge.points.map((point) => point.x))
	];
	const ys = [
		...placed.flatMap((node) => [node.y, node.y + node.height]),
		...routed.flatMap((edge) => edge.points.map((point) => point.y))
	];
	if (xs.length === 0) return { nodes: [], edges: [], width: 0, height: 0 };
	const [dx, dy] = [MARGIN - Math.min(...xs), MARGIN - Math.min(...ys)];
	const nodes = placed.map((node) => ({ ...node, x: node.x + dx, y: node.y + dy }));
	const edges = routed.map((edge) => ({
		...edge,
		points: edge.points.map((point) => ({ x: point.x + dx, y: point.y + dy }))
	}));
	return { nodes, edges, width: Math.max(...xs) + dx + MARGIN, height: Math.max(...ys) + dy + MARGIN };
}
