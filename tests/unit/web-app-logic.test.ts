// The web app's pure logic: SSE parsing of the trainer's event stream, result filtering/sorting and
// CSV/JSON export, the comparison of expert sets, the dependency-graph layout and the loss-chart scaling.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { classifierWarning, compareRuns, labelFromFolder } from '../../src/lib/ui/compare-runs.ts';
import { layoutDependencyGraph } from '../../src/lib/ui/dependency-graph.ts';
import { lossPolylines } from '../../src/lib/ui/loss-chart.ts';
import { rowsToCsv, rowsToJson } from '../../src/lib/ui/results-export.ts';
import { uniquePaths } from '../../src/lib/ui/file-collect.ts';
import { viewRows } from '../../src/lib/ui/results-view.ts';
import { createSseParser, type ServerSentEvent } from '../../src/lib/trainer-api/sse-parser.ts';
import type { ClassifyRow } from '../../src/lib/worker/api.ts';

const row = (path: string, language: string, extra: Partial<ClassifyRow> = {}): ClassifyRow => ({
	path,
	type: 'source-code',
	language,
	technologies: [],
	evidence: `extension: ${language}`,
	decidedBy: 'evidence',
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
		const stream =
			': keep-alive\n\nid: 1\nevent: step\ndata: {"step":1,"loss":2.5}\n\nid: 2\r\nevent: done\r\ndata: {}\r\n\r\ndata: a\ndata: b\n\n';
		for (let i = 0; i < stream.length; i += 7) parser.push(stream.slice(i, i + 7));
		expect(events).toEqual([
			{ id: '1', type: 'step', data: '{"step":1,"loss":2.5}' },
			{ id: '2', type: 'done', data: '{}' },
			{ id: '2', type: 'message', data: 'a\nb' }
		]);
	});
});

describe('results table', () => {
	const rows = [
		row('b.rs', 'Rust', { ms: 5 }),
		row('a.py', 'Python', { technologies: ['flask'], ms: 30 }),
		row('c.json', 'JSON', { type: 'data', ms: 1 })
	];

	it('filters on any field and sorts by a column either way', () => {
		expect(viewRows(rows, 'FLASK', 'path', true).map((r) => r.path)).toEqual(['a.py']);
		expect(viewRows(rows, '', 'path', true).map((r) => r.path)).toEqual(['a.py', 'b.rs', 'c.json']);
		expect(viewRows(rows, '', 'ms', false).map((r) => r.ms)).toEqual([30, 5, 1]);
		expect(viewRows(rows, 'data', 'path', true).map((r) => r.path)).toEqual(['c.json']);
		expect(viewRows(rows, 'extension: rust', 'path', true).map((r) => r.path)).toEqual(['b.rs']);
	});

	it('exports CSV with quoting and JSON that parses back, skipped files with their reason', () => {
		const skipped = [{ path: 'x.zip', reason: 'binary file' }];
		const csv = rowsToCsv(
			[
				row('dir/"odd",name.py', 'Python', {
					technologies: ['flask', 'sqlalchemy'],
					technologyEvidence: ['flask: from flask import Flask', 'sqlalchemy: model']
				})
			],
			skipped
		);
		expect(csv).toBe(
			'path,type,language,technologies,evidence,typeEvidence,technologyEvidence,experts,ms,skipped\r\n' +
				'"dir/""odd"",name.py",source-code,Python,flask;sqlalchemy,extension: Python,Python is source-code,flask: from flask import Flask;sqlalchemy: model,python-code@1.0.0,10,\r\n' +
				'x.zip,,,,,,,,,binary file\r\n'
		);
		expect(JSON.parse(rowsToJson(rows, skipped))).toEqual({ files: rows, skipped });
	});

	it('writes milliseconds to 0.1 in CSV, not float noise', () => {
		expect(rowsToCsv([row('a.py', 'Python', { ms: 3312.9249999998137 })]).split('\r\n')[1]).toMatch(/,3312\.9,$/);
	});

	it('keeps every picked file when two share a path (the second as "x.h (2)"), sorted by path', () => {
		const file = (name: string) => new File(['int x;'], name);
		expect(
			uniquePaths([
				{ path: 'x.h', file: file('x.h') },
				{ path: 'b.c', file: file('b.c') },
				{ path: 'x.h', file: file('x.h') },
				{ path: 'x.h', file: file('x.h') }
			]).map((p) => p.path)
		).toEqual(['b.c', 'x.h', 'x.h (2)', 'x.h (3)']);
	});
});

describe('comparing expert sets', () => {
	it('computes per-field agreement, language accuracy from folder labels and mean latency', () => {
		const setA = [
			row('Python/a.py', 'Python', { ms: 10 }),
			row('Rust/b.rs', 'Rust', { ms: 20, technologies: ['tokio', 'serde'] })
		];
		const setB = [
			row('Python/a.py', 'Python', { ms: 30, type: 'script' }),
			row('Rust/b.rs', 'C', { ms: 50, technologies: ['serde', 'tokio'] })
		];
		const labels = new Map(['Python/a.py', 'Rust/b.rs'].map((path) => [path, labelFromFolder(path) as string]));
		const result = compareRuns(
			[
				{ label: 'A', rows: setA },
				{ label: 'B', rows: setB, skipped: 2 }
			],
			labels
		);
		expect(result.files.map((file) => file.agrees)).toEqual([
			{ type: false, language: true, technologies: true },
			{ type: true, language: false, technologies: true }
		]);
		expect(result.agreement).toEqual({ type: 0.5, language: 0.5, technologies: 1 });
		expect(result.sets).toEqual([
			{ label: 'A', meanMs: 15, languageAccuracy: 1, skipped: 0 },
			{ label: 'B', meanMs: 40, languageAccuracy: 0.5, skipped: 2 }
		]);
		expect(compareRuns([{ label: 'A', rows: setA }], null).sets[0].languageAccuracy).toBeNull();
		expect(labelFromFolder('top.py')).toBeNull();
	});
});

describe('compare warnings', () => {
	it('warns about a set whose load plan has no document classifier', () => {
		expect(classifierWarning(['english-basic', 'document-classifier'])).toBeNull();
		expect(classifierWarning(['english-basic', 'python-code'])).toMatch(/^no document-classifier in this set/);
	});
});

describe('dependency graph layout', () => {
	type Box = { x: number; y: number; width: number; height: number };
	/** Whether the segment a→b passes through the inside of the box (shrunk by 1 px, so touching an edge is not crossing). */
	function crosses(a: { x: number; y: number }, b: { x: number; y: number }, box: Box): boolean {
		const [left, right, top, bottom] = [box.x + 1, box.x + box.width - 1, box.y + 1, box.y + box.height - 1];
		for (let t = 0; t <= 1; t += 1 / 200) {
			const x = a.x + (b.x - a.x) * t;
			const y = a.y + (b.y - a.y) * t;
			if (x > left && x < right && y > top && y < bottom) return true;
		}
		return false;
	}

	it('lays the shipped experts out top-down: dependants above dependencies, no edge through a box, no overlap, arrowheads apart', () => {
		const shipped = readdirSync('experts', { withFileTypes: true })
			.filter((entry) => entry.isDirectory() && existsSync(path.join('experts', entry.name, 'manifest.json')))
			.map(
				(entry) =>
					JSON.parse(readFileSync(path.join('experts', entry.name, 'manifest.json'), 'utf8')) as {
						name: string;
						constraints?: { requires?: string[] };
					}
			)
			.map(({ name, constraints }) => ({ name, requires: constraints?.requires ?? [] }));
		expect(shipped.length).toBeGreaterThan(3);
		const layout = layoutDependencyGraph(shipped);
		const box = new Map(layout.nodes.map((node) => [node.name, node]));
		expect(layout.edges.length).toBe(shipped.reduce((sum, expert) => sum + expert.requires.length, 0));
		expect(layout.edges.length).toBeGreaterThan(3);
		for (const edge of layout.edges) {
			const [from, to] = [box.get(edge.from)!, box.get(edge.to)!];
			expect(from.y + from.height, `${edge.from} above ${edge.to}`).toBeLessThanOrEqual(to.y);
			for (const node of layout.nodes) {
				if (node.name === edge.from || node.name === edge.to) continue;
				const through = edge.points.slice(1).some((point, index) => crosses(edge.points[index], point, node));
				expect(through, `${edge.from} -> ${edge.to} through ${node.name}`).toBe(false);
			}
		}
		for (const [index, a] of layout.nodes.entries())
			for (const b of layout.nodes.slice(index + 1))
				expect(
					a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y,
					`${a.name} overlaps ${b.name}`
				).toBe(true);
		for (const node of layout.nodes) {
			const heads = layout.edges.filter((edge) => edge.to === node.name).map((edge) => edge.points.at(-1)!);
			for (const [index, head] of heads.entries())
				for (const other of heads.slice(index + 1))
					expect(Math.hypot(head.x - other.x, head.y - other.y), `arrowheads into ${node.name}`).toBeGreaterThan(6);
		}
		for (const node of layout.nodes)
			expect(
				node.x >= 0 && node.y >= 0 && node.x + node.width <= layout.width && node.y + node.height <= layout.height,
				`${node.name} inside the drawing`
			).toBe(true);
		for (const { x, y } of layout.edges.flatMap((edge) => edge.points))
			expect(x >= 0 && y >= 0 && x <= layout.width && y <= layout.height, 'edge inside the drawing').toBe(true);
	});

	it('marks required experts that are not installed', () => {
		const layout = layoutDependencyGraph([{ name: 'document-classifier', requires: ['python-code@^1.0.0'] }]);
		expect(layout.nodes.map(({ name, missing }) => ({ name, missing }))).toEqual([
			{ name: 'document-classifier', missing: false },
			{ name: 'python-code', missing: true }
		]);
		expect(layout.edges.map(({ from, to }) => `${from}->${to}`)).toEqual(['document-classifier->python-code']);
	});
});

describe('loss chart', () => {
	it('maps losses onto one shared scale, highest loss at the top', () => {
		const chart = lossPolylines(
			[
				[
					{ step: 0, loss: 4 },
					{ step: 10, loss: 2 }
				],
				[{ step: 10, loss: 3 }]
			],
			100,
			50,
			10
		);
		expect(chart).toEqual({
			lines: ['10.0,10.0 90.0,40.0', '90.0,25.0'],
			lastPoints: [
				{ x: 90, y: 40 },
				{ x: 90, y: 25 }
			],
			minLoss: 2,
			maxLoss: 4,
			maxStep: 10
		});
		expect(lossPolylines([[{ step: 1, loss: Number.NaN }]], 100, 50, 10, 7)).toMatchObject({
			lines: [''],
			lastPoints: [null]
		});
		// One point: an empty-looking polyline, but its dot is drawn.
		expect(lossPolylines([[{ step: 1, loss: 3 }], []], 100, 50, 10, 4).lastPoints).toEqual([{ x: 30, y: 25 }, null]);
	});
});
