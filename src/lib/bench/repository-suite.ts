// The repository benchmark: a tree of 20,000 real files (the breakdown trees of `expert eval`, Debian source
// packages, linked into one folder) read as a repository by `expert classify --breakdown` and by linguist-js,
// each in its own process on the same tree in the same run: files/s (the model load included for Expert) and
// peak resident memory (the process's VmHWM, read from /proc while it runs), and the ratio; and Chromium's WASM
// runtime classifying the first files the rules keep (warm), for the browser's figure.
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectFiles } from '../classify/file-inputs-fs.ts';
import { REPO_ROOT } from '../datasets/corpus-fs.ts';
import { ExpertError } from '../errors.ts';
import { breakdownTrees, DEFAULT_BREAKDOWN_TREES_DIR } from '../eval/breakdown-trees-fs.ts';
import type { BenchMetric, BenchRunOptions, BenchSuite, BenchSuiteResult } from './bench-suite.ts';
import { browserRun } from './classify-suite.ts';
import { nodeLinguistPathRules } from '../classify/linguist-heuristics-fs.ts';
import { repositoryFiles } from '../classify/repository-files-fs.ts';
import { repositoryVerdict } from '../classify/repository-exclusions.ts';
import type { LabelledFile } from '../eval/heldout-fs.ts';

const TREE_FILES = 20_000;
/** Files the browser classifies (the first the rules keep): enough for a steady rate, short enough for a bench run. */
const BROWSER_FILES = 1_000;
const RATIO_TARGET = 0.5;
const CLI = path.join(REPO_ROOT, 'src/cli/expert.js');

interface ProcessFigures {
	seconds: number;
	peakMiB: number;
	output: string;
}

/** Runs a process to its end, reading its peak resident memory (VmHWM) from /proc every 100 ms. */
function measured(args: string[]): Promise<ProcessFigures> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let peakKiB = 0;
		const readPeak = () => {
			const match = /VmHWM:\s+(\d+) kB/.exec(
				existsSync(`/proc/${child.pid}/status`) ? readFileSync(`/proc/${child.pid}/status`, 'utf8') : ''
			);
			if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
		};
		const timer = setInterval(readPeak, 100);
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		child.on('exit', () => readPeak());
		child.on('close', (code) => {
			clearInterval(timer);
			if (code !== 0)
				return reject(
					new ExpertError(
						'bench-child-failed',
						`${path.basename(args[0])} exited ${code}: ${Buffer.concat(err).toString().trim().split('\n').pop()}`
					)
				);
			resolve({
				seconds: (performance.now() - started) / 1000,
				peakMiB: peakKiB / 1024,
				output: Buffer.concat(out).toString()
			});
		});
	});
}

/** The first TREE_FILES files of the breakdown trees (sorted walk), hard-linked into one folder under `into`. */
async function buildTree(into: string, count: number): Promise<number> {
	const trees = breakdownTrees(DEFAULT_BREAKDOWN_TREES_DIR);
	if (trees.length === 0)
		throw new ExpertError(
			'bench-files-missing',
			`the repository bench needs the breakdown trees in ${DEFAULT_BREAKDOWN_TREES_DIR} (expert eval --fetch-real-set)`
		);
	let linked = 0;
	for (const tree of trees) {
		const { files } = await collectFiles([tree.root], 'repository');
		for (const file of files) {
			if (linked >= count) return linked;
			const target = path.join(into, tree.name, path.relative(tree.root, file));
			mkdirSync(path.dirname(target), { recursive: true });
			linkSync(file, target);
			linked++;
		}
	}
	return linked;
}

/** The first `count` files of the tree a repository scan does not exclude, read, as the classify bench takes them. */
async function keptFiles(root: string, count: number): Promise<LabelledFile[]> {
	const { files, git } = await repositoryFiles(root, 16 * 2 ** 20);
	const kept: LabelledFile[] = [];
	for (const file of files) {
		if (kept.length >= count) break;
		const head = await file.read();
		if (!('content' in head) || repositoryVerdict(nodeLinguistPathRules(), git, file.path, head.content).exclusion)
			continue;
		kept.push({
			path: file.path,
			fileName: path.basename(file.path),
			content: head.content,
			truth: { type: 'other', language: '', technologies: [] }
		});
	}
	return kept;
}

const LINGUIST_JS = `const linguist = require('linguist-js'); linguist(process.argv[1], { offline: true }).then((r) => console.log(JSON.stringify({ named: Object.values(r.files.results).filter(Boolean).length })));`;

async function runRepositoryBench(options: BenchRunOptions): Promise<BenchSuiteResult> {
	const work = mkdtempSync(path.join(tmpdir(), 'expert-repository-bench-'));
	try {
		const root = path.join(work, 'tree');
		const files = await buildTree(root, options.quick ? 2_000 : TREE_FILES);
		options.log(`${files} files linked into ${root}`);
		const expert = await measured([CLI, 'classify', root, '--breakdown', '--json', '--threads', '2']);
		const expertFiles = Object.keys((JSON.parse(expert.output) as { files: { results: object } }).files.results).length;
		options.log(`Expert: ${files} files in ${expert.seconds.toFixed(1)} s, peak ${expert.peakMiB.toFixed(0)} MiB`);
		const linguistJs = await measured(['-e', LINGUIST_JS, root]);
		options.log(
			`linguist-js: ${files} files in ${linguistJs.seconds.toFixed(1)} s, peak ${linguistJs.peakMiB.toFixed(0)} MiB`
		);
		const browser = await browserRun(
			await keptFiles(root, options.quick ? 100 : BROWSER_FILES),
			options.log,
			`, the first files a repository scan keeps`
		);
		const rate = (run: ProcessFigures) => files / run.seconds;
		const ratio = rate(expert) / rate(linguistJs);
		const metrics: BenchMetric[] = [
			{
				name: `Expert files/s, ${files}-file tree (expert classify --breakdown, model load included)`,
				value: rate(expert),
				unit: 'files/s'
			},
			{ name: 'Expert peak resident memory', value: expert.peakMiB, unit: 'MiB' },
			{ name: 'linguist-js files/s, same tree', value: rate(linguistJs), unit: 'files/s' },
			{ name: 'linguist-js peak resident memory', value: linguistJs.peakMiB, unit: 'MiB' },
			{
				name: 'Expert files/s ÷ linguist-js files/s',
				value: ratio,
				unit: 'ratio',
				target: `>= ${RATIO_TARGET}`,
				met: ratio >= RATIO_TARGET
			}
		];
		const notes: string[] = [];
		if (typeof browser === 'string') notes.push(browser);
		else
			metrics.push({
				name: `Chromium WASM files/s, warm (classifying the first ${BROWSER_FILES} files the rules keep; reading and rules not timed)`,
				value: browser.filesPerSecond,
				unit: 'files/s'
			});
		return {
			suite: 'repository',
			environment: {
				files,
				trees: breakdownTrees(DEFAULT_BREAKDOWN_TREES_DIR)
					.map((t) => t.name)
					.join(', ')
			},
			metrics,
			tables: [
				{
					title: `A ${files}-file tree read as a repository`,
					columns: ['tool', 'seconds', 'files/s', 'peak MiB', 'files given a language (after exclusions)'],
					rows: [
						[
							'Expert (expert classify --breakdown --json, 2 threads)',
							expert.seconds.toFixed(1),
							rate(expert).toFixed(1),
							expert.peakMiB.toFixed(0),
							expertFiles
						],
						[
							'linguist-js 2.9.2 (offline)',
							linguistJs.seconds.toFixed(1),
							rate(linguistJs).toFixed(1),
							linguistJs.peakMiB.toFixed(0),
							JSON.parse(linguistJs.output).named
						]
					]
				}
			],
			notes: [
				"Each tool runs in its own Node process on the same hard-linked tree, one after the other; peak memory is the process VmHWM. Expert reads every file, applies Linguist's exclusions and evidence chain, and asks the model where the evidence leaves several candidates.",
				...notes
			]
		};
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

export const repositoryBenchSuite: BenchSuite = {
	name: 'repository',
	description:
		"a 20,000-file tree read as a repository: Expert's breakdown beside linguist-js, files/s and peak memory",
	run: runRepositoryBench
};
