// The web app's pure logic: SSE parsing of the trainer's event stream, result filtering/sorting and
// CSV/JSON export, the comparison of expert sets, the dependency-graph layout and the loss-chart scaling.
import { describe, expect, it } from 'vitest';
import { compareRuns, labelFromFolder } from '../../src/lib/ui/compare-runs.ts';
import { layoutDependencyGraph } from '../../src/lib/ui/dependency-graph.ts';
import { lossPolylines } from '../../src/lib/ui/loss-chart.ts';
import { rowsToCsv, rowsToJson } from '../../src/lib/ui/results-export.ts';
import { viewRows } from '../../src/lib/ui/results-view.ts';
import { createSseParser, type ServerSentEvent } from '../../src/lib/web/sse-parser.ts';
import type { ClassifyRow } from '../../src/lib/worker/api.ts';

const row = (path: string, language: string, extra: Partial<ClassifyRow> = {}): ClassifyRow => ({
	path,
	type: 'source-code',
	language,
	technologies: [],
	evidence: `extension: ${language}`,
	typeEvidence: `${language} is source-code`,
	technologyEvidence: [],
	experts: ['python-code@1.0.0'],
	ms: 10,
	...extra
});

describe('SSE parser', () => {
	it('splits events across arbitrary chunk boundaries and ignores comments', () => {
		const events: ServerSentEvent[] = [];
		const parser = createSseParser((event) => events.push(event));
		const stream = ': keep-alive\n\nid: 1\nevent: step\ndata: {"step":1,"loss":2.5}\n\nid: 2\r\nevent: done\r\ndata: {}\r\n\r\ndata: a\ndata: b\n\n';
		for (let i = 0; i < stream.length; i += 7) parser.push(stream.slice(i, i + 7));
		expect(events).toEqual([
			{ id: '1', type: 'step', data: '{"step":1,"loss":2.5}' },
			{ id: '2', type: 'done', data: '{}' },
			{ id: '2', type: 'message', data: 'a\nb' }
		]);
	});
});

describe('results table', () => {
	const rows = [row('b.rs', 'Rust', { ms: 5 }), row('a.py', 'Python', { technologies: ['flask'], ms: 30 }), row('c.json', 'JSON', { type: 'data', ms: 1 })];

	it('filters on any field and sorts by a column either way', () => {
		expect(viewRows(rows, 'FLASK', 'path', true).map((r) => r.path)).toEqual(['a.py']);
		expect(viewRows(rows, '', 'path', true).map((r) => r.path)).toEqual(['a.py', 'b.rs', 'c.json']);
		expect(viewRows(rows, '', 'ms', false).map((r) => r.ms)).toEqual([30, 5, 1]);
		expect(viewRows(rows, 'data', 'path', true).map((r) => r.path)).toEqual(['c.json']);
		expect(viewRows(rows, 'extension: rust', 'path', true).map((r) => r.path)).toEqual(['b.rs']);
	});

	it('exports CSV with quoting and JSON that parses back', () => {
		const csv = rowsToCsv([row('dir/"odd",name.py', 'Python', { technologies: ['flask', 'sqlalchemy'], technologyEvidence: ['flask: from flask import Flask', 'sqlalchemy: model'] })]);
		expect(csv).toBe(
			'path,type,language,technologies,evidence,typeEvidence,technologyEvidence,experts,ms\r\n' +
				'"dir/""odd"",name.py",source-code,Python,flask;sqlalchemy,extension: Python,Python is source-code,flask: from flask import Flask;sqlalchemy: model,python-code@1.0.0,10\r\n'
		);
		expect(JSON.parse(rowsToJson(rows))).toEqual(rows);
	});
});

describe('comparing expert sets', () => {
	it('computes per-field agreement, language accuracy from folder labels and mean latency', () => {
		const setA = [row('Python/a.py', 'Python', { ms: 10 }), row('Rust/b.rs', 'Rust', { ms: 20, technologies: ['tokio', 'serde'] })];
		const setB = [row('Python/a.py', 'Python', { ms: 30, type: 'script' }), row('Rust/b.rs', 'C', { ms: 50, technologies: ['serde', 'tokio'] })];
		const labels = new Map(['Python/a.py', 'Rust/b.rs'].map((path) => [path, labelFromFolder(path) as string]));
		const result = compareRuns([{ label: 'A', rows: setA }, { label: 'B', rows: setB }], labels);
		expect(result.files.map((file) => file.agrees)).toEqual([
			{ type: false, language: true, technologies: true },
			{ type: true, language: false, technologies: true }
		]);
		expect(result.agreement).toEqual({ type: 0.5, language: 0.5, technologies: 1 });
		expect(result.sets).toEqual([
			{ label: 'A', meanMs: 15, languageAccuracy: 1 },
			{ label: 'B', meanMs: 40, languageAccuracy: 0.5 }
		]);
		expect(compareRuns([{ label: 'A', rows: setA }], null).sets[0].languageAccuracy).toBeNull();
		expect(labelFromFolder('top.py')).toBeNull();
	});
});

describe('dependency graph layout', () => {
	it('puts required experts left of their dependants and marks missing ones', () => {
		const layout = layoutDependencyGraph([
			{ name: 'neo4j-cypher', requires: ['english-basic@>=1.0.0'] },
			{ name: 'english-basic', requires: [] },
			{ name: 'document-classifier', requires: ['neo4j-cypher@^1.0.0', 'python-code'] }
		]);
		const column = Object.fromEntries(layout.nodes.map((node) => [node.name, node.column]));
		expect(column).toEqual({ 'document-classifier': 2, 'english-basic': 0, 'neo4j-cypher': 1, 'python-code': 0 });
		expect(layout.nodes.find((node) => node.name === 'python-code')?.missing).toBe(true);
		expect(layout.edges).toContainEqual({ from: 'document-classifier', to: 'python-code' });
		expect(layout).toMatchObject({ columns: 3, rows: 2 });
	});
});

describe('loss chart', () => {
	it('maps losses onto one shared scale, highest loss at the top', () => {
		const chart = lossPolylines([[{ step: 0, loss: 4 }, { step: 10, loss: 2 }], [{ step: 10, loss: 3 }]], 100, 50, 10);
		expect(chart).toEqual({ lines: ['10.0,10.0 90.0,40.0', '90.0,25.0'], minLoss: 2, maxLoss: 4, maxStep: 10 });
		expect(lossPolylines([[{ step: 1, loss: Number.NaN }]], 100, 50, 10, 7).lines).toEqual(['']);
	});
});
