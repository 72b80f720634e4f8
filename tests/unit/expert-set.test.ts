// Expert sets and their tuning, without a model: the coordinate search finds a grid optimum within its budget
// and is deterministic for a seed; labels come from folder names or a CSV with one-line errors; an expert set
// parses or names its bad field; `@name` and `auto` stack a set's weights and add a routed expert only where
// it was measured to help, and explainRouting says why.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	AUTO_SET,
	explainRouting,
	expertsForSelection,
	parseExpertSelection
} from '../../src/lib/classify/expert-selection.ts';
import { oneLineExpertError } from '../fixtures/expert-error.ts';
import { parseExpertSet, type ExpertSet } from '../../src/lib/experts/expert-set.ts';
import { parseManifest, type ExpertManifest } from '../../src/lib/experts/manifest.ts';
import { labelFiles, labelsFromCsv } from '../../src/lib/tune/labelled-files.ts';
import { searchWeights } from '../../src/lib/tune/weight-search.ts';

const expertsDir = path.resolve(import.meta.dirname, '../../experts');
const registry: ExpertManifest[] = [
	...['english-basic-v1', 'json-parser-v2', 'neo4j-cypher-v1', 'python-code-v1'],
	...['rust-code-v1', 'document-classifier-v1']
].map((dir) => parseManifest(readFileSync(path.join(expertsDir, dir, 'manifest.json'), 'utf8'), dir));
const version = (name: string) => registry.find((m) => m.name === name)!.version;

const errorOf = oneLineExpertError;

describe('coordinate search of stacking weights', () => {
	const target = [0.5, 1.5, 0];
	const score = async (weights: number[]) => -weights.reduce((sum, weight, i) => sum + Math.abs(weight - target[i]), 0);

	it('reaches the grid optimum of a separable score from weight 1, within the budget', async () => {
		const result = await searchWeights({ start: [1, 1, 1], maxEvaluations: 60, seed: 1, score });
		expect(result.weights).toEqual(target);
		expect(result.score).toBeCloseTo(0, 12);
		expect(result.startScore).toBe(-2);
		expect(result.evaluations).toBeLessThanOrEqual(60);
	});

	it('finds two experts that hurt only together by switching the pair off', async () => {
		const together = async (w: number[]) => (w[0] === 0 && w[2] === 0 ? 1 : w[0] === 0 || w[2] === 0 ? -1 : 0);
		const result = await searchWeights({ start: [1, 1, 1], maxEvaluations: 100, seed: 3, score: together });
		expect(result.weights).toEqual([0, 1, 0]);
		expect(result.score).toBe(1);
	});

	it('is deterministic for a seed, stops at the budget and keeps the start when nothing improves', async () => {
		const seen: number[][] = [];
		const a = await searchWeights({
			start: [1, 1, 1],
			maxEvaluations: 5,
			seed: 7,
			score: async (w) => (seen.push(w), score(w))
		});
		const b = await searchWeights({ start: [1, 1, 1], maxEvaluations: 5, seed: 7, score });
		expect(a).toEqual(b);
		expect(a.evaluations).toBe(5);
		expect(seen).toHaveLength(5);
		const flat = await searchWeights({ start: [1, 1], maxEvaluations: 100, seed: 1, score: async () => 0 });
		expect(flat.weights).toEqual([1, 1]);
		expect(flat.evaluations).toBe(14); // the start, every other grid value of each expert once, then the pair at the lowest weight
	});
});

describe('labelled files', () => {
	const files = [
		{ path: 'Python/a.py', content: 'import os' },
		{ path: 'Rust/deep/b.rs', content: 'fn main() {}' },
		{ path: 'Makefile/filenames/Makefile', content: 'all:' }
	];

	it('labels by the first folder, or by a CSV (quotes, CRLF, header in any order)', () => {
		expect(labelFiles(files).files.map((f) => [f.path, f.fileName, f.language])).toEqual([
			['Python/a.py', 'a.py', 'Python'],
			['Rust/deep/b.rs', 'b.rs', 'Rust'],
			['Makefile/filenames/Makefile', 'Makefile', 'Makefile']
		]);
		const csv = labelsFromCsv('language,path\r\n"C++","Python/a.py"\r\nRust,"Rust/deep/b.rs"\r\n', 'labels.csv');
		expect(labelFiles(files, csv).files.map((f) => [f.path, f.language])).toEqual([
			['Python/a.py', 'C++'],
			['Rust/deep/b.rs', 'Rust']
		]);
	});

	it('skips files without a usable folder label (with the reason) and refuses bad CSVs and labels of missing files', () => {
		expect(
			labelFiles([
				{ path: 'Pythn/a.py', content: '' },
				{ path: 'a.py', content: '' },
				{ path: 'Fstar/x.fst', content: '' }
			])
		).toEqual({
			files: [{ path: 'Fstar/x.fst', fileName: 'x.fst', content: '', language: 'F*' }],
			skipped: [
				{ path: 'Pythn/a.py', problem: '"Pythn" is not a GitHub Linguist language name' },
				{ path: 'a.py', problem: 'not inside a language folder (expected <Language>/<file>)' }
			]
		});
		expect(labelFiles(files, new Map([['Python/a.py', 'Python']])).skipped.map((skip) => skip.path)).toEqual([
			'Rust/deep/b.rs',
			'Makefile/filenames/Makefile'
		]);
		expect(errorOf(() => labelsFromCsv('file,lang\na,Python\n', 'l.csv'))).toBe(
			'l.csv: the first row must name the columns path and language'
		);
		expect(errorOf(() => labelsFromCsv('path,language\na,Python\na,Rust\n', 'l.csv'))).toBe(
			'l.csv row 3: a is listed twice'
		);
		expect(errorOf(() => labelsFromCsv('path,language\na,Klingon\n', 'l.csv'))).toContain('row 2: "Klingon" is not');
		expect(errorOf(() => labelsFromCsv('path,language\n"a,Python\n', 'l.csv'))).toContain('not closed');
		expect(errorOf(() => labelFiles(files, new Map([['Go/x.go', 'Go']])))).toBe(
			'labels name Go/x.go, which is not among the files'
		);
	});
});

const score = (files: number, language: number, type: number) => ({ files, language, type });

function classifierSet(overrides: Partial<ExpertSet> = {}): ExpertSet {
	return parseExpertSet(
		JSON.stringify({
			format: 'expert-set/1',
			name: 'mine',
			experts: ['json-parser', 'english-basic', 'neo4j-cypher', 'document-classifier'].map((name) => ({
				name,
				version: version(name),
				weight: name === 'json-parser' ? 0.5 : 1
			})),
			routed: [
				{
					name: 'python-code',
					version: version('python-code'),
					weight: 0.75,
					before: score(10, 0.8, 0.9),
					after: score(10, 0.9, 0.9)
				},
				{
					name: 'rust-code',
					version: version('rust-code'),
					weight: 1,
					before: score(4, 1, 1),
					after: score(4, 0.75, 1)
				}
			],
			...overrides
		}),
		'mine.json'
	);
}

describe('expert sets', () => {
	it('names the bad field of a set in one line', () => {
		expect(errorOf(() => parseExpertSet('{', 's.json'))).toContain('s.json: not JSON');
		expect(errorOf(() => parseExpertSet(JSON.stringify({ ...classifierSet(), format: 'x' }), 's.json'))).toContain(
			's.json: format:'
		);
		const heavy = { ...classifierSet(), experts: [{ name: 'english-basic', version: '1.0.0', weight: 9 }] };
		expect(errorOf(() => parseExpertSet(JSON.stringify(heavy), 's.json'))).toContain('s.json: experts.0.weight:');
		expect(errorOf(() => parseExpertSelection('@Bad Name'))).toContain('--experts @Bad Name');
	});

	it('@name stacks the set with its weights and adds a routed expert only where it was measured to help', () => {
		const sets = new Map([['mine', classifierSet()]]);
		const python = { fileName: 'tool.py', content: 'import os\ndef main():\n    pass\n' };
		const rust = { fileName: 'lib.rs', content: 'fn main() { let x = 1; }\nimpl Foo {}\n' };
		const ids = (file?: typeof python) =>
			expertsForSelection({ mode: 'set', name: 'mine' }, registry, sets, file).map((e) =>
				typeof e === 'string' ? `${e}:1` : `${e.id}:${e.weight}`
			);
		expect(ids()).toEqual([
			`json-parser@${version('json-parser')}:0.5`,
			`english-basic@${version('english-basic')}:1`,
			`neo4j-cypher@${version('neo4j-cypher')}:1`,
			`document-classifier@${version('document-classifier')}:1`
		]);
		expect(ids(python)).toEqual([...ids(), `python-code@${version('python-code')}:0.75`]);
		expect(ids(rust)).toEqual(ids());
		expect(explainRouting({ mode: 'set', name: 'mine' }, registry, sets, python)).toEqual([
			{
				name: 'python-code',
				added: true,
				reason:
					'routed, added at weight 0.75: adding it helped on 10 files routed to it, language 80.0% -> 90.0%, type 90.0% -> 90.0%'
			}
		]);
		expect(explainRouting({ mode: 'set', name: 'mine' }, registry, sets, rust)[0]).toMatchObject({
			name: 'rust-code',
			added: false,
			reason: expect.stringContaining('did not help on 4 files')
		});
		expect(errorOf(() => expertsForSelection({ mode: 'set', name: 'other' }, registry, sets))).toBe(
			'no expert set @other (known: @mine)'
		);
	});

	it('auto is the classifier stack at weight 1 without an auto set, and the auto set when there is one', () => {
		const plain = expertsForSelection({ mode: 'auto' }, registry, new Map(), {
			fileName: 'tool.py',
			content: 'import os'
		});
		expect(plain.every((entry) => typeof entry === 'string')).toBe(true);
		expect(plain.map(String).map((id) => id.split('@')[0])).toEqual([
			'json-parser',
			'english-basic',
			'neo4j-cypher',
			'document-classifier'
		]);
		expect(
			explainRouting({ mode: 'auto' }, registry, new Map(), { fileName: 'tool.py', content: 'import os' })[0]
		).toMatchObject({ name: 'python-code', added: false, reason: expect.stringContaining('nothing measured') });
		const auto = new Map([[AUTO_SET, classifierSet({ name: AUTO_SET })]]);
		expect(
			expertsForSelection({ mode: 'auto' }, registry, auto, {
				fileName: 'tool.py',
				content: 'import os\ndef f(): pass'
			})
		).toContainEqual({ id: `python-code@${version('python-code')}`, weight: 0.75 });
	});
});
