// The app-load benchmark: the production build served on loopback, Debian's Chromium with fresh profiles
// (default settings: WebAssembly here), three real files picked on the Classify page per visit. Measures how
// long the base model takes to load on a first visit, on a later visit whose cached ready-to-run graph was
// dropped (weights fetched and the graph built again), and on a later visit that reads that graph, side by
// side in the same profiles; medians and the ratio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { serveAppBuild } from '../app-server/static-site-fs.ts';
import { REPO_ROOT } from '../datasets/corpus-fs.ts';
import { buildApp } from '../app-server/app-build-fs.ts';
import { median } from '../median.ts';
import type { BenchRunOptions, BenchSuite, BenchSuiteResult } from './bench-suite.ts';
import { CHROMIUM, CHROMIUM_FLAGS, chromiumMissing } from './runtime-browser.ts';

const SAMPLES = ['Field.h', 'fib.pl', 'load_from_json.cypher'].map((name) =>
	path.join(REPO_ROOT, 'datasets/samples', name)
);
const LOADED_IN = /loaded in ([\d.]+) s/;

type VisitKind = 'first visit' | 'later visit, graph built again' | 'later visit, cached graph';

interface Visit {
	kind: VisitKind;
	/** The worker's own figure for the model load (0.1 s resolution). */
	loadSeconds: number;
	/** From picking the files to "Done" (evidence answers, model load, classification). */
	runSeconds: number;
}

async function visit(page: Page, origin: string, kind: VisitKind): Promise<Visit> {
	await page.goto(`${origin}/`);
	const started = performance.now();
	await page.getByTestId('pick-files').setInputFiles(SAMPLES);
	await page.waitForFunction(
		() => /^Done/.test(document.querySelector('[data-testid=run-status]')?.textContent ?? ''),
		null,
		{ timeout: 120_000 }
	);
	const status = (await page.getByTestId('run-status').textContent()) ?? '';
	return {
		kind,
		loadSeconds: Number(LOADED_IN.exec(status)?.[1] ?? Number.NaN),
		runSeconds: (performance.now() - started) / 1000
	};
}

/** Drops the cached ready-to-run graphs (the IndexedDB entries of kind "model"), as a new build would. */
async function dropReadyGraphs(page: Page): Promise<void> {
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('expert-cache');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction(['entries', 'files'], 'readwrite');
					const range = IDBKeyRange.bound('model:', 'model:\uffff');
					tx.objectStore('entries').delete(range);
					tx.objectStore('files').delete(range);
					tx.oncomplete = () => (open.result.close(), resolve());
					tx.onerror = () => reject(tx.error);
				};
			})
	);
}

async function run({ quick, log }: BenchRunOptions): Promise<BenchSuiteResult> {
	const result: BenchSuiteResult = { suite: 'app-load', environment: {}, metrics: [], tables: [], notes: [] };
	if (chromiumMissing) {
		result.notes.push(`not run: ${chromiumMissing}`);
		return result;
	}
	const work = mkdtempSync(path.join(tmpdir(), 'expert-app-load-'));
	// SvelteKit builds only inside the project (its tsconfig is extended from there).
	const buildDir = path.join(REPO_ROOT, '.tmp', `bench-app-${process.pid}`);
	try {
		log('app-load: building the app');
		await buildApp(buildDir);
		const app = await serveAppBuild(path.join(buildDir, 'site'));
		const visits: Visit[] = [];
		try {
			const profiles = quick ? 1 : 3;
			const pairs = quick ? 1 : 3;
			for (let profile = 0; profile < profiles; profile++) {
				const context = await chromium.launchPersistentContext(path.join(work, `profile-${profile}`), {
					executablePath: CHROMIUM,
					headless: true,
					args: CHROMIUM_FLAGS
				});
				try {
					const page = context.pages()[0] ?? (await context.newPage());
					visits.push(await visit(page, app.origin, 'first visit'));
					for (let pair = 0; pair < pairs; pair++) {
						// Alternate which goes first, so neither side always follows the other.
						const order: VisitKind[] =
							pair % 2
								? ['later visit, graph built again', 'later visit, cached graph']
								: ['later visit, cached graph', 'later visit, graph built again'];
						for (const kind of order) {
							if (kind === 'later visit, graph built again') await dropReadyGraphs(page);
							visits.push(await visit(page, app.origin, kind));
						}
					}
					log(
						`app-load: profile ${profile + 1}/${profiles}: ${visits
							.slice(-1 - 2 * pairs)
							.map((v) => `${v.kind} ${v.loadSeconds} s`)
							.join(', ')}`
					);
				} finally {
					await context.close();
				}
			}
		} finally {
			await app.close();
		}
		const kinds: VisitKind[] = ['first visit', 'later visit, graph built again', 'later visit, cached graph'];
		const of = (kind: VisitKind) => visits.filter((v) => v.kind === kind);
		result.environment = {
			browser: 'Debian chromium, headless, fresh profiles, default settings (WebAssembly, fp32)',
			files: SAMPLES.length
		};
		result.tables.push({
			title: 'Base model load per visit (medians)',
			columns: ['visit', 'visits', 'model load, s (the worker’s figure)', 'pick to Done, s'],
			rows: kinds.map((kind) => [
				kind,
				of(kind).length,
				median(of(kind).map((v) => v.loadSeconds)).toFixed(2),
				median(of(kind).map((v) => v.runSeconds)).toFixed(2)
			])
		});
		const rebuilt = median(of('later visit, graph built again').map((v) => v.loadSeconds));
		const cached = median(of('later visit, cached graph').map((v) => v.loadSeconds));
		result.metrics.push(
			{
				name: 'model load, first visit (median)',
				value: median(of('first visit').map((v) => v.loadSeconds)),
				unit: 's'
			},
			{ name: 'model load, later visit, graph built again (median)', value: rebuilt, unit: 's' },
			{ name: 'model load, later visit, cached ready-to-run graph (median)', value: cached, unit: 's' },
			{ name: 'load time saved by the cached graph (built again / cached)', value: rebuilt / cached, unit: '×' }
		);
		return result;
	} finally {
		rmSync(work, { recursive: true, force: true });
		rmSync(buildDir, { recursive: true, force: true });
	}
}

export const appLoadBenchSuite: BenchSuite = {
	name: 'app-load',
	description:
		'the web app in Chromium: base model load on a first visit, and on later visits with and without the cached ready-to-run graph',
	run
};
