// The web app end to end: the shared production build served on loopback (COOP/COEP) in Debian Chromium with
// a fresh profile and default settings: every page at 1280 and 390 px, keyboard, PWA checks and offline reload,
// expert install/export/bad packages/installing over a built-in, the dependency graph, real files classified on
// the automatic backend (WebAssembly, never the SwiftShader adapter) with the answers of `expert classify` in
// Node and its skip reasons, Cancel, Compare's warnings, tuning a set's weights on Compare (stored, compared),
// a dropped repository's breakdown beside `expert classify --breakdown`, `expert app` (npm start),
// no-IndexedDB/no-WebGPU notices; screenshots in test-results/app/.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppBuild, type AppServer } from '../../src/lib/app-server/static-site-fs.ts';
import { parseExpertSet } from '../../src/lib/experts/expert-set.ts';
import { sharedAppBuild } from '../fixtures/app-build.ts';
import { BASE_FLAGS, CHROMIUM, chromiumSkipReason, launchAppBrowser } from '../fixtures/app-browser.ts';
import { writeRandomAdapter, writeTinyModel } from '../fixtures/tiny-model.ts';
import { runExpert } from '../fixtures/expert-cli.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(REPO, 'test-results', 'app');
/** Real files from the repo's sample set, classified in the browser and by the Node CLI. */
const CLASSIFY_SAMPLES = ['Field.h', 'fib.pl', 'load_from_json.cypher'];
/** The build ships these experts (the Vite plugin reads the same variable); the Node run must use them too. */
const EXPERTS_DIR = path.resolve(REPO, process.env.EXPERT_BUILTIN_EXPERTS_DIR ?? 'experts');
const EMBEDDED_CONFIG = path.join(REPO, 'static/models/expert-base-tiny/config.json');
/** The app checks experts against the embedded base when the build ships one (static/models/). */
const embeddedBase = existsSync(EMBEDDED_CONFIG);
if (!embeddedBase) console.warn(`web app e2e: ${EMBEDDED_CONFIG} absent, so the wrong-base check is not exercised`);
const PAGES = [
	{ path: '/', heading: 'Classify files', shot: 'classify' },
	{ path: '/experts', heading: 'Experts', shot: 'experts', ready: ['experts-table'] },
	{ path: '/compare', heading: 'Compare expert sets', shot: 'compare', ready: ['plan-A'] },
	{ path: '/try', heading: 'Try expert sets', shot: 'try' },
	{ path: '/train', heading: 'Train an expert', shot: 'train' },
	{
		path: '/settings',
		heading: 'Settings and status',
		shot: 'settings',
		ready: ['backend', 'model-state', 'cache-usage']
	}
];
/** The text the expert pickers showed for ~0.5 s on every load before the built-ins were read. */
const FALSE_EMPTY_STATE = 'No experts available';

if (chromiumSkipReason) console.warn(`skipping web app e2e test: ${chromiumSkipReason}`);

/** Zips a package folder's files under <folder>/, as the app's own export does. */
async function zipPackage(dir: string): Promise<Uint8Array> {
	const entries: Record<string, Uint8Array> = {};
	for (const name of await readdir(dir))
		entries[`${path.basename(dir)}/${name}`] = new Uint8Array(await readFile(path.join(dir, name)));
	return zipSync(entries);
}

interface Answer {
	path: string;
	type: string;
	language: string;
	technologies: string[];
	/** Why the language is what it is (the results table's "Why" column). */
	evidence: string;
}
type AnswerRow = Answer & { ms: number };
const answerOf = ({ ms: _ms, ...answer }: AnswerRow): Answer => answer;

interface NodeRun {
	rows: Array<Answer & { experts: string[] }>;
	/** File name → why the CLI skipped it. */
	skipped: Record<string, string>;
}

/** `expert classify --json` in Node (onnxruntime-node, fp32) on the same files, rows keyed by file name. */
async function runNodeClassify(files: string[], experts = 'auto'): Promise<NodeRun> {
	const args = [
		path.join(REPO, 'src/cli/expert.js'),
		'classify',
		...files,
		'--json',
		'--precision',
		'fp32',
		'--threads',
		'1',
		'--experts-dir',
		EXPERTS_DIR,
		'--experts',
		experts
	];
	const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: REPO });
	const { files: rows, skipped } = JSON.parse(stdout) as {
		files: Array<Omit<Answer, 'evidence'> & { experts: string[]; evidence: { language: string } }>;
		skipped: Array<{ path: string; problem: string }>;
	};
	return {
		rows: rows
			.map(({ path: file, type, language, technologies, evidence, experts }) => ({
				path: path.basename(file),
				type,
				language,
				technologies,
				evidence: evidence.language,
				experts
			}))
			.sort((a, b) => a.path.localeCompare(b.path)),
		skipped: Object.fromEntries(skipped.map((skip) => [path.basename(skip.path), skip.problem]))
	};
}
const withoutExperts = ({ experts: _experts, ...answer }: Answer & { experts: string[] }): Answer => answer;

/** Waits (up to `timeout` ms) for the results table to hold `count` classified rows, failing at once on an error notice, and reads them, sorted by file name. */
async function tableRows(page: Page, count: number, timeout = 120_000): Promise<AnswerRow[]> {
	await page.waitForFunction(
		(n) =>
			document.querySelector('[role="alert"]') ||
			document.querySelectorAll('table.results tbody tr:not(.skipped)').length === n,
		count,
		{ timeout, polling: 250 }
	);
	const alert = page.getByRole('alert');
	if ((await alert.count()) > 0) throw new Error(`the page reports: ${await alert.first().textContent()}`);
	const rows = await page.locator('table.results tbody tr:not(.skipped)').evaluateAll((trs) =>
		trs.map((tr) => {
			const [file, type, language, technologies, evidence, ms] = [...tr.querySelectorAll('td')];
			return {
				path: (file.textContent ?? '').split('/').pop() ?? '',
				type: type.textContent ?? '',
				language: language.textContent ?? '',
				technologies: [...technologies.querySelectorAll('.tag')].map((tag) => tag.textContent ?? ''),
				evidence: evidence.querySelector('.why')?.textContent ?? '',
				ms: Number(ms.textContent)
			};
		})
	);
	return rows.sort((a, b) => a.path.localeCompare(b.path));
}

/** The skipped rows of the results table: file name → the reason in its Why cell. */
async function skippedRows(page: Page): Promise<Record<string, string>> {
	const rows = await page
		.getByTestId('skipped-row')
		.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
	return Object.fromEntries(rows.map(([file, , language, , why]) => [file.split('/').pop(), `${language}: ${why}`]));
}

/** Text as the page shows it: runs of white space (from the markup's line breaks) read as one space. */
const visibleText = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Screenshots the page at 1280 and 390 px (full page), checking nothing scrolls sideways on the phone. */
async function shootBothWidths(page: Page, name: string): Promise<void> {
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.screenshot({ path: path.join(SHOTS, `${name}-1280.png`), fullPage: true });
	await page.setViewportSize({ width: 390, height: 800 });
	expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 390 px`).toBeLessThanOrEqual(390);
	await page.screenshot({ path: path.join(SHOTS, `${name}-390.png`), fullPage: true });
	await page.setViewportSize({ width: 1280, height: 800 });
}

function pngSize(bytes: Uint8Array): [number, number] {
	const view = new DataView(bytes.buffer, bytes.byteOffset);
	expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
	return [view.getUint32(16), view.getUint32(20)];
}

describe.skipIf(chromiumSkipReason !== null)('web app (production build in Chromium, default settings)', () => {
	let root: string, buildDir: string, app: AppServer;
	let context: BrowserContext, page: Page, consoleErrors: string[];

	beforeAll(async () => {
		root = await mkdtemp(path.join(os.tmpdir(), 'app-e2e-'));
		mkdirSync(SHOTS, { recursive: true });
		buildDir = await sharedAppBuild();
		app = await serveAppBuild(path.join(buildDir, 'site'));
		({ context, page, consoleErrors } = await launchAppBrowser(path.join(root, 'profile')));
		// Records whether the pickers' empty state is ever rendered, however briefly.
		await context.addInitScript((text) => {
			new MutationObserver(() => {
				if (document.body?.innerText.includes(text)) sessionStorage.setItem('sawFalseEmptyState', location.pathname);
			}).observe(document, { childList: true, subtree: true, characterData: true });
		}, FALSE_EMPTY_STATE);
	});

	afterAll(async () => {
		await context?.close();
		await app?.close();
		if (root) await rm(root, { recursive: true, force: true });
	});

	it('renders every page at 1280 and 390 px without console errors or a false "No experts" state, and reaches them by keyboard', async () => {
		for (const { path: route, heading, ready = [], shot } of PAGES) {
			await page.goto(`${app.origin}${route}`);
			await expect.poll(() => page.locator('h1').textContent()).toBe(heading);
			for (const testId of ready) await page.getByTestId(testId).first().waitFor();
			await page.getByText('Reading the expert index…').first().waitFor({ state: 'detached' });
			await shootBothWidths(page, `page-${shot}`);
			expect(await page.evaluate(() => sessionStorage.getItem('sawFalseEmptyState'))).toBeNull();
		}
		// The phone header is brand and theme on one line, the navigation one row under it.
		await page.setViewportSize({ width: 390, height: 800 });
		expect(await page.locator('header').evaluate((header) => header.getBoundingClientRect().height)).toBeLessThan(100);
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.goto(`${app.origin}/`);
		await expect.poll(() => page.locator('h1').textContent()).toBe('Classify files');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
		let reached = '';
		for (let i = 0; i < 8 && reached !== 'Train'; i++) {
			await page.keyboard.press('Tab');
			reached = (await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '';
		}
		expect(reached).toBe('Train');
		await page.keyboard.press('Enter');
		await expect.poll(() => page.locator('h1').textContent()).toBe('Train an expert');
		expect(new URL(page.url()).pathname).toBe('/train');
		expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Train');
		// The theme follows the system until the user picks one; the pick wins over the system after that.
		const look = () =>
			page.evaluate(() => [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]);
		await page.emulateMedia({ colorScheme: 'dark' });
		await expect.poll(look).toEqual(['dark', 'rgb(13, 17, 23)']);
		await page.emulateMedia({ colorScheme: 'light' });
		await expect.poll(look).toEqual(['light', 'rgb(247, 248, 250)']);
		await page.getByRole('button', { name: /theme/ }).click();
		expect(await look()).toEqual(['dark', 'rgb(13, 17, 23)']);
		await page.screenshot({ path: path.join(SHOTS, 'theme-dark.png') });
		await page.emulateMedia({ colorScheme: 'light' });
		expect((await look())[0]).toBe('dark');
		await page.getByRole('button', { name: /theme/ }).click();
		expect((await look())[0]).toBe('light');
		expect(consoleErrors).toEqual([]);
	});

	it('meets the PWA checks: manifest, icons, service worker in control, offline reload', async () => {
		await page.goto(`${app.origin}/`);
		const manifestUrl = await page.locator('link[rel="manifest"]').evaluate((link) => (link as HTMLLinkElement).href);
		const manifest = await (await fetch(manifestUrl)).json();
		expect(manifest).toMatchObject({
			name: expect.any(String),
			short_name: 'Expert',
			start_url: './',
			scope: './',
			display: 'standalone',
			theme_color: expect.stringMatching(/^#/),
			background_color: expect.stringMatching(/^#/)
		});
		const sizes = [];
		for (const icon of manifest.icons) {
			const bytes = new Uint8Array(await (await fetch(new URL(icon.src, manifestUrl))).arrayBuffer());
			expect(pngSize(bytes).join('x')).toBe(icon.sizes);
			sizes.push(`${icon.sizes} ${icon.purpose}`);
		}
		expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));

		await page.evaluate(() => navigator.serviceWorker.ready);
		await expect
			.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 15_000 })
			.toBe('activated');
		// Precached before any classify: onnxruntime-web's runtime files and the built-in experts (index and packages).
		const precached = await page.evaluate(async () => {
			const index = (await (await caches.match('/builtin-experts/index.json'))?.json()) as
				{ packages: Array<{ folder: string; files: string[] }> } | undefined;
			const urls = [
				'/ort/ort-wasm-simd-threaded.jsep.mjs',
				'/ort/ort-wasm-simd-threaded.jsep.wasm',
				...(index?.packages ?? []).flatMap(({ folder, files }) =>
					files.map((file) => `/builtin-experts/${folder}/${file}`)
				)
			];
			return {
				packages: index?.packages.length ?? 0,
				missing: (await Promise.all(urls.map(async (url) => ((await caches.match(url)) ? null : url)))).filter(Boolean)
			};
		});
		const shipped = readdirSync(EXPERTS_DIR, { withFileTypes: true }).filter(
			(entry) => entry.isDirectory() && existsSync(path.join(EXPERTS_DIR, entry.name, 'manifest.json'))
		);
		expect(precached).toEqual({ packages: shipped.length, missing: [] });

		await context.setOffline(true);
		try {
			await page.reload();
			await expect.poll(() => page.locator('h1').textContent()).toBe('Classify files');
			await page.locator('nav a', { hasText: 'Experts' }).click();
			await expect.poll(() => page.locator('h1').textContent()).toBe('Experts');
			await page.goto(`${app.origin}/settings`);
			await expect.poll(() => page.locator('h1').textContent()).toBe('Settings and status');
			// Settings counts what the service worker keeps, not only the expert cache (it said "cache 0 B").
			await expect
				.poll(() => page.getByTestId('cache-usage').textContent())
				.toMatch(/the app for offline use \(service worker\): [1-9]\d* files, [\d.]+ [KM]iB/);
			await page.screenshot({ path: path.join(SHOTS, 'offline-settings.png'), fullPage: true });
		} finally {
			await context.setOffline(false);
		}
	});

	it('installs, lists, exports and removes an expert; bad packages get an inline message; installing over a built-in asks first', async () => {
		const { config: tinyConfig } = await writeTinyModel(path.join(root, 'model'), { architecture: 'qwen2', seed: 3 });
		const config = embeddedBase ? JSON.parse(readFileSync(EMBEDDED_CONFIG, 'utf8')) : tinyConfig;
		const dir = path.join(root, 'e2e-expert-v1');
		await writeRandomAdapter(dir, config, {
			r: 2,
			targetModules: ['q_proj', 'v_proj'],
			seed: 5,
			name: 'e2e-expert',
			version: '1.2.0',
			requires: ['english-basic@>=1.0.0']
		});
		const archive = await zipPackage(dir);
		await page.goto(`${app.origin}/experts`);
		const input = page.getByTestId('install-file');

		await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just text') });
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('notes.txt: not a zip or tar file');
		const corrupt = archive.slice();
		corrupt.fill(0, 40, 90);
		await input.setInputFiles({ name: 'corrupt.zip', mimeType: 'application/zip', buffer: Buffer.from(corrupt) });
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('corrupt.zip');
		const badManifest = zipSync({ 'x-v1/manifest.json': new TextEncoder().encode('{"name": "x"}') });
		await input.setInputFiles({
			name: 'bad-manifest.zip',
			mimeType: 'application/zip',
			buffer: Buffer.from(badManifest)
		});
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('bad-manifest.zip');
		if (embeddedBase) {
			const otherBase = path.join(root, 'other-base-v1');
			await writeRandomAdapter(otherBase, tinyConfig, { r: 2, targetModules: ['q_proj'], seed: 6, name: 'other-base' });
			await input.setInputFiles({
				name: 'other-base.zip',
				mimeType: 'application/zip',
				buffer: Buffer.from(await zipPackage(otherBase))
			});
			await expect.poll(() => page.getByRole('alert').textContent()).toContain('other-base.zip: built for base');
			expect(await page.getByRole('alert').textContent()).toContain('not the loaded expert-base-tiny');
		}
		await page.getByLabel('Package URL').fill('http://127.0.0.1:9/expert.zip');
		await page.getByRole('button', { name: 'Install from URL' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toContain('could not download http://127.0.0.1:9/expert.zip');
		await page.screenshot({ path: path.join(SHOTS, 'experts-bad-package.png'), fullPage: true });
		// Nothing installed yet: the built-ins are listed, with a line that says so, not an empty-state notice above them.
		expect(await page.getByText('No experts installed yet').count()).toBe(0);
		expect(await page.getByTestId('builtin-only').textContent()).toMatch(
			/^Nothing installed in this browser yet: the \d+ built-in experts below ship with the app/
		);

		await input.setInputFiles({ name: 'e2e-expert.zip', mimeType: 'application/zip', buffer: Buffer.from(archive) });
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Installed' }).textContent())
			.toBe('Installed e2e-expert@1.2.0.');
		expect(await page.getByRole('alert').count()).toBe(0);
		const table = page.getByTestId('experts-table');
		expect(await table.textContent()).toContain('r 2, q_proj, v_proj');
		// english-basic, which it requires, is a built-in expert: listed, drawn, resolvable, not removable.
		expect(await page.locator('svg [data-expert="english-basic"]').textContent()).not.toContain('(missing)');
		expect(await table.textContent()).toMatch(/english-basic 1\.0\.0\s*built-in/);
		expect(await page.getByRole('button', { name: 'Remove english-basic@1.0.0' }).count()).toBe(0);
		await page.screenshot({ path: path.join(SHOTS, 'experts-installed.png'), fullPage: true });

		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('button', { name: 'Export e2e-expert@1.2.0' }).click()
		]);
		const exported = unzipSync(new Uint8Array(readFileSync((await download.path()) as string)));
		for (const name of await readdir(dir))
			expect(exported[`e2e-expert-v1/${name}`]).toEqual(new Uint8Array(await readFile(path.join(dir, name))));

		await page.getByRole('checkbox', { name: 'e2e-expert' }).check();
		await page.getByRole('button', { name: 'Resolve load plan' }).click();
		await expect.poll(() => page.getByTestId('load-plan').textContent()).toContain('e2e-expert@1.2.0');
		expect(await page.getByTestId('load-plan').textContent()).toContain('english-basic@1.0.0 (load order 3)');

		await page.getByRole('button', { name: 'Remove e2e-expert@1.2.0' }).click();
		await expect.poll(() => page.getByTestId('builtin-only').count()).toBe(1);
		expect(
			await page
				.getByRole('status')
				.filter({ hasText: /Installed|Removed/ })
				.textContent()
		).toBe('Removed e2e-expert@1.2.0.');

		// A package with a built-in's name@version: nothing is stored until the user confirms, and Remove brings the built-in back.
		const shadow = path.join(root, 'english-basic-v1');
		await writeRandomAdapter(shadow, config, { r: 2, targetModules: ['q_proj'], seed: 7, name: 'english-basic' });
		const shadowArchive = Buffer.from(await zipPackage(shadow));
		await input.setInputFiles({ name: 'english-basic.zip', mimeType: 'application/zip', buffer: shadowArchive });
		await expect
			.poll(() => page.getByRole('alertdialog').textContent())
			.toContain('english-basic@1.0.0 is a built-in expert');
		await page.getByRole('button', { name: 'Keep the built-in' }).click();
		expect(await page.getByRole('alertdialog').count()).toBe(0);
		expect(await table.textContent()).toMatch(/english-basic 1\.0\.0\s*built-in/);
		await input.setInputFiles({ name: 'english-basic.zip', mimeType: 'application/zip', buffer: shadowArchive });
		await page.getByRole('button', { name: 'Install over the built-in' }).click();
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Installed' }).textContent())
			.toBe(
				'Installed english-basic@1.0.0; it is used instead of the built-in english-basic@1.0.0 until you remove it.'
			);
		expect(await page.getByRole('button', { name: 'Remove english-basic@1.0.0' }).count()).toBe(1);
		await page.getByRole('button', { name: 'Remove english-basic@1.0.0' }).click();
		await expect
			.poll(() => page.getByRole('status').filter({ hasText: 'Removed' }).textContent())
			.toBe('Removed english-basic@1.0.0; the built-in english-basic@1.0.0 is used again.');
		expect(await page.getByText(/^Installed /).count()).toBe(0);
		expect(await table.textContent()).toMatch(/english-basic 1\.0\.0\s*built-in/);

		// The dependency graph: each expert above what it requires, text at 14 px even on a phone (it scrolls, not shrinks).
		const box = (name: string) =>
			page
				.locator(`svg [data-expert="${name}"] rect`)
				.evaluate((rect) => rect.getBoundingClientRect().toJSON() as DOMRect);
		expect((await box('document-classifier')).bottom).toBeLessThanOrEqual((await box('english-basic')).top);
		await page.setViewportSize({ width: 390, height: 800 });
		expect(
			await page
				.locator('svg [data-expert="english-basic"] text')
				.evaluate((text) => text.getBoundingClientRect().height)
		).toBeGreaterThanOrEqual(13);
		await page.setViewportSize({ width: 1280, height: 800 });
		await page
			.locator('svg[aria-label^="Dependency graph"]')
			.screenshot({ path: path.join(SHOTS, 'experts-graph.png') });
		expect(consoleErrors).toEqual([]);
	});

	it('classifies real files on the automatic backend within 60 s (WebAssembly, not the SwiftShader adapter) as `expert classify` does in Node, skips what the CLI skips, by drop too, on Compare, and offline', async () => {
		const folder = path.join(root, 'samples');
		mkdirSync(folder);
		for (const name of CLASSIFY_SAMPLES)
			copyFileSync(path.join(REPO, 'datasets/samples', name), path.join(folder, name));
		// Random bytes named like an archive, and an empty file: both skipped, with the CLI's reasons.
		const random = new Uint8Array(4096).map((_, index) => (index * 2654435761) >>> 24);
		writeFileSync(path.join(folder, 'x.zip'), random);
		writeFileSync(path.join(folder, 'empty.txt'), '');
		const nodeRun = runNodeClassify([folder]);
		const nodePythonRun = runNodeClassify([path.join(folder, 'fib.pl')], 'python-code');

		// Default settings on a fresh profile, WebGPU enabled: the one adapter here is SwiftShader, which Automatic must not pick.
		await page.goto(`${app.origin}/`);
		await page.getByTestId('pick-folder').setInputFiles(folder);
		const started = Date.now();
		const rows = await tableRows(page, CLASSIFY_SAMPLES.length, 60_000);
		const evidenceSeconds = (Date.now() - started) / 1000;
		await expect
			.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 })
			.toMatch(/^Done: 3 classified, 2 skipped\. Model: expert-base-tiny on WebAssembly, fp32, loaded in [\d.]+ s\.$/);
		const browserSeconds = (Date.now() - started) / 1000;
		const node = await nodeRun;
		console.log(
			`browser (default settings → WASM fp32): ${CLASSIFY_SAMPLES.length} files answered by Linguist's evidence ${evidenceSeconds.toFixed(1)} s after the pick, the run done with the model load in ${browserSeconds.toFixed(1)} s; ms per file ${rows.map((row) => row.ms).join(', ')}`
		);
		expect(rows.map(answerOf)).toEqual(node.rows.map(withoutExperts));
		expect(node.skipped).toEqual({ 'x.zip': 'binary file', 'empty.txt': 'empty file' });
		expect(await skippedRows(page)).toEqual({ 'x.zip': 'skipped: binary file', 'empty.txt': 'skipped: empty file' });
		// Linguist's evidence names all three (no "model among" answer), so no expert answered any of them.
		expect(node.rows.filter((row) => row.evidence.startsWith('model'))).toEqual([]);
		expect(await page.getByText(/^Experts used:/).textContent()).toBe(
			"Experts used: none — Linguist's evidence decided every file."
		);
		await shootBothWidths(page, 'classify-results');

		await page.evaluate(
			async (text) => {
				const transfer = new DataTransfer();
				transfer.items.add(new File([text], 'fib.pl', { type: 'text/plain' }));
				const zone = document.querySelector('[aria-label="Drop files or a folder here"]') as HTMLElement;
				zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
			},
			readFileSync(path.join(folder, 'fib.pl'), 'utf8')
		);
		const [dropped] = await tableRows(page, 1);
		const fib = node.rows.find((row) => row.path === 'fib.pl');
		expect(answerOf(dropped)).toEqual(fib && withoutExperts(fib));

		// In-app navigation keeps the worker, so the model loaded once serves Settings and Compare.
		await page.locator('nav a', { hasText: 'Settings' }).click();
		await expect
			.poll(() => page.getByTestId('model-state').textContent())
			.toMatch(/^Loaded: expert-base-tiny on WebAssembly, fp32, loaded in [\d.]+ s$/);
		expect(await page.getByTestId('backend').textContent()).toMatch(
			/^WebAssembly \(the WebGPU adapter \(google swiftshader.*\) is a software fallback\)$/
		);
		expect(await page.getByTestId('backend-in-use').textContent()).toMatch(/^WebAssembly, fp32, loaded in/);
		await shootBothWidths(page, 'settings-loaded');
		await page.locator('nav a', { hasText: 'Compare' }).click();
		// Set A: the default; set B: the built-in python-code expert (and its dependency), as `--experts python-code` in Node.
		await page.getByRole('group', { name: 'Set B' }).getByRole('checkbox', { name: 'python-code@1.1.0' }).check();
		await expect
			.poll(() => page.getByTestId('plan-B').textContent())
			.toBe('Loads: english-basic@1.0.0, python-code@1.1.0');
		expect(await page.getByTestId('plan-A').textContent()).toMatch(/^Loads: .*document-classifier@1\.0\.0/);
		expect(await page.getByTestId('warning-A').count()).toBe(0);
		expect(await page.getByTestId('warning-B').textContent()).toContain('Set B: no document-classifier in this set');
		await page.getByTestId('pick-files').setInputFiles(path.join(folder, 'fib.pl'));
		await page.getByRole('button', { name: 'Compare 2 sets' }).click();
		await expect.poll(() => page.getByText(/^Agreement:/).count(), { timeout: 120_000 }).toBe(1);
		expect(await page.getByText(/^Model: expert-base-tiny on WebAssembly/).textContent()).toContain(
			'(once, not in the per-file times)'
		);
		const [pythonSet] = (await nodePythonRun).rows;
		expect(pythonSet.experts).toEqual(['english-basic@1.0.0', 'python-code@1.1.0']);
		const squeeze = (text: string) => text.replace(/\s+/g, '');
		const cells = await page.locator('table').last().locator('tbody td').allTextContents();
		expect(cells.map(squeeze)).toEqual([
			'fib.pl',
			...[fib, pythonSet].map((answer) =>
				squeeze(`${answer?.type}·${answer?.language}${answer?.technologies.join(', ') || '—'}Why: ${answer?.evidence}`)
			)
		]);
		// One plain file, folder names as labels: the accuracy cell says why it has no figure.
		expect(await page.getByTestId('accuracy-why').textContent()).toMatch(
			/No language accuracy: no file is in a folder named after its language/
		);
		await shootBothWidths(page, 'compare-results');

		await context.setOffline(true);
		try {
			await page.goto(`${app.origin}/`);
			await page.getByTestId('pick-folder').setInputFiles(folder);
			expect((await tableRows(page, CLASSIFY_SAMPLES.length)).map(answerOf)).toEqual(node.rows.map(withoutExperts));
			// This later visit reads the graph the first one built (npm run bench -- --suite app-load times the difference).
			await expect
				.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 })
				.toMatch(/loaded in [\d.]+ s \(graph cached by an earlier visit\)\.$/);
			await page.screenshot({ path: path.join(SHOTS, 'classify-offline.png'), fullPage: true });
		} finally {
			await context.setOffline(false);
		}
		expect(consoleErrors).toEqual([]);
	});

	it('Try: the bare base beside base + json-parser streams both outputs, only the constrained one is checked and parses; offline too', async () => {
		const generateBoth = async () => {
			await page.goto(`${app.origin}/try`);
			await page.getByText('Reading the expert index…').first().waitFor({ state: 'detached' });
			await expect.poll(() => page.getByLabel('json-parser@2.0.0').nth(1).isChecked()).toBe(true);
			await page.getByTestId('try-run').click();
			await page.getByTestId('try-check-B').waitFor({ timeout: 120_000 });
		};
		await generateBoth();
		expect(visibleText(await page.getByTestId('try-check-B').textContent())).toBe('✓ parses as JSON');
		// The page says what the tiny base cannot do; the bare base stops at its end marker instead of printing it.
		expect(await page.getByTestId('try-limits').textContent()).toMatch(/its output\s+always parses/);
		await expect
			.poll(() => page.getByTestId('try-panel-A').getByText('free text').count(), { timeout: 60_000 })
			.toBe(1);
		expect(await page.getByTestId('try-text-A').textContent()).not.toContain('<|endoftext|>');
		const constrained = (await page.getByTestId('try-text-B').textContent()) ?? '';
		expect(() => JSON.parse(constrained), constrained).not.toThrow();
		await expect
			.poll(() => page.getByTestId('try-panel-A').getByText('free text').count(), { timeout: 60_000 })
			.toBe(1);
		expect(await page.getByTestId('try-check-A').count()).toBe(0);
		expect(await page.getByTestId('try-panel-B').textContent()).toMatch(/JSON grammar.*tokens\/s/);
		await shootBothWidths(page, 'try-results');

		await context.setOffline(true);
		try {
			await generateBoth();
			expect(visibleText(await page.getByTestId('try-check-B').textContent())).toBe('✓ parses as JSON');
			// neo4j-cypher declares Cypher output; its check loads Neo4j's parser (a chunk the service worker cached).
			await page.getByLabel('json-parser@2.0.0').nth(1).uncheck();
			await page.getByLabel('neo4j-cypher@1.0.0').nth(1).check();
			await page.getByTestId('try-run').click();
			await expect
				.poll(async () => visibleText(await page.getByTestId('try-check-B').textContent()), { timeout: 120_000 })
				.toBe("✓ parses with Neo4j's Cypher grammar");
			await page.screenshot({ path: path.join(SHOTS, 'try-offline.png'), fullPage: true });
		} finally {
			await context.setOffline(false);
		}
		expect(consoleErrors).toEqual([]);
	});

	it('names the language of pasted text with the top three and their probabilities, as `expert classify -` does', async () => {
		const snippet =
			'use std::collections::HashMap;\n\nfn main() {\n    let mut counts: HashMap<&str, usize> = HashMap::new();\n    for word in "a b a".split_whitespace() {\n        *counts.entry(word).or_insert(0) += 1;\n    }\n    println!("{:?}", counts);\n}\n';
		const node = runExpert(['classify', '-', '--json'], { stdin: snippet });
		await page.goto(`${app.origin}/`);
		await page.getByRole('button', { name: 'Name its language' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Paste some text first/);
		await page.getByLabel(/Or paste text/).fill(snippet);
		const started = Date.now();
		await page.getByRole('button', { name: 'Name its language' }).click();
		const ranking = page.getByRole('table', { name: "The model's top three languages" });
		await ranking.waitFor({ timeout: 60_000 });
		console.log(
			`pasted snippet: answered ${((Date.now() - started) / 1000).toFixed(1)} s after the click (model load included)`
		);
		const cells = await ranking
			.locator('tr')
			.evaluateAll((rows) =>
				rows.map((row) => [
					row.querySelector('th')!.textContent!.trim(),
					row.querySelector('td.number')!.textContent!.trim()
				])
			);
		expect(cells).toHaveLength(3);
		const cli = JSON.parse((await node).stdout).files[0] as {
			language: string;
			languageRanking: Array<{ language: string; probability: number }>;
		};
		expect(cells.map(([language]) => language)).toEqual(cli.languageRanking.map((r) => r.language));
		cells.forEach(([, percent], i) =>
			expect(Number(percent.replace('%', ''))).toBeCloseTo(100 * cli.languageRanking[i].probability, 0)
		);
		expect(await page.getByTestId('paste-result').locator('strong').first().textContent()).toBe(cli.language);
		expect(await page.getByTestId('paste-result').textContent()).toMatch(/Why: model among all languages: /);
		// A second snippet answers without the model load: well under a second here.
		await page
			.getByLabel(/Or paste text/)
			.fill('#include <stdio.h>\n\nint main(void)\n{\n    printf("hello\\n");\n    return 0;\n}\n');
		const again = Date.now();
		await page.getByRole('button', { name: 'Name its language' }).click();
		await expect.poll(() => page.getByTestId('paste-result').textContent(), { timeout: 30_000 }).toMatch(/Why: /);
		console.log(`second pasted snippet: ${Date.now() - again} ms after the click`);
		await shootBothWidths(page, 'classify-paste');
	});

	it('reads a dropped repository as `expert classify --breakdown` does: language bar and table, every excluded file with why, filters, evidence rows before the model has loaded, a reload that fetches nothing, no row lost to a shared name', async () => {
		const tree = path.join(REPO, 'tests/fixtures/repository');
		const cli = runExpert(['classify', tree, '--breakdown', '--json', '--threads', '1']);
		await page.goto(`${app.origin}/`);
		await page.getByTestId('pick-folder').setInputFiles(tree);
		// Linguist's evidence answers while the base model is still loading.
		await page.waitForFunction(
			() => document.querySelectorAll('table.results tbody tr:not(.skipped)').length > 0,
			null,
			{ timeout: 30_000, polling: 50 }
		);
		expect(await page.getByTestId('run-status').textContent()).toMatch(
			/Linguist's evidence answered \d+ files?; .*(Loading|load)/i
		);
		await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toMatch(/^Done: /);
		const report = JSON.parse((await cli).stdout) as {
			languages: { results: Record<string, { percentage: number; files: number }> };
			notCounted: unknown;
			excluded: { results: Record<string, { kind: string; reason: string }> };
		};
		const shown = await page
			.getByTestId('breakdown-table')
			.locator('tbody tr:not(.apart)')
			.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
		expect(Object.fromEntries(shown.map(([language, , files, share]) => [language, [Number(files), share]]))).toEqual(
			Object.fromEntries(
				Object.entries(report.languages.results).map(([language, s]) => [
					language,
					[s.files, `${s.percentage.toFixed(2)}%`]
				])
			)
		);
		// The export is the CLI's --breakdown --json document: the same languages, shares and colours.
		const exported = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Export breakdown' }).click();
		const exportedBreakdown = JSON.parse(readFileSync((await (await exported).path())!, 'utf8'));
		expect({ languages: exportedBreakdown.languages, notCounted: exportedBreakdown.notCounted }).toEqual({
			languages: report.languages,
			notCounted: report.notCounted
		});
		await page.getByText(/^Excluded files and why/).click();
		const excluded = await page.getByTestId('excluded-list').locator('li').allTextContents();
		expect(excluded).toHaveLength(Object.keys(report.excluded.results).length);
		for (const [file, { kind, reason }] of Object.entries(report.excluded.results))
			expect(excluded).toContain(`repository/${path.relative(tree, file)} — ${kind}: ${reason}`);
		await page.getByLabel('Decided by').selectOption('model');
		const byModel = await page.locator('table.results tbody tr').count();
		await page.getByLabel('Decided by').selectOption('evidence');
		const byEvidence = await page.locator('table.results tbody tr').count();
		await page.getByLabel('Decided by').selectOption('');
		expect(byModel + byEvidence).toBe(await page.locator('table.results tbody tr:not(.skipped)').count());
		await shootBothWidths(page, 'classify-repository');

		// The CSV export writes milliseconds to 0.1.
		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Export CSV' }).click();
		const csv = readFileSync((await (await download).path())!, 'utf8')
			.trim()
			.split('\r\n');
		const msColumn = csv[0].split(',').indexOf('ms');
		expect(
			csv
				.slice(1)
				.map((line) => line.split(',')[msColumn])
				.filter(Boolean)
				.every((ms) => /^\d+(\.\d)?$/.test(ms))
		).toBe(true);

		// A reload and the same folder again: everything (page, worker, model, experts) comes from the service worker's cache.
		const network: string[] = [];
		const fromNetwork = (response: Response) => {
			if (!response.fromServiceWorker() && /^https?:/.test(response.url())) network.push(response.url());
		};
		page.on('response', fromNetwork);
		await page.reload();
		await page.getByTestId('pick-folder').setInputFiles(tree);
		await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toMatch(/^Done: /);
		page.off('response', fromNetwork);
		expect(network).toEqual([]);

		// Two files of one name dropped from different folders: both rows stay (the second as "x.h (2)"); a UTF-16 text is read, not called binary.
		await page.evaluate(() => {
			const transfer = new DataTransfer();
			transfer.items.add(
				new File(['#include <vector>\nclass A { std::vector<int> v; };\n'], 'x.h', { type: 'text/plain' })
			);
			transfer.items.add(new File(['#include <stdio.h>\nint f(void);\n'], 'x.h', { type: 'text/plain' }));
			const text = '\uFEFFNotes kept by a Windows editor.\n';
			const utf16 = new Uint8Array(text.length * 2);
			for (let i = 0; i < text.length; i++)
				[utf16[2 * i], utf16[2 * i + 1]] = [text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8];
			transfer.items.add(new File([utf16], 'notes.txt', { type: 'text/plain' }));
			const zone = document.querySelector('[aria-label="Drop files or a folder here"]') as HTMLElement;
			zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
		});
		await expect
			.poll(() => page.locator('table.results tbody tr:not(.skipped) td.file').allTextContents(), { timeout: 120_000 })
			.toEqual(['notes.txt', 'x.h', 'x.h (2)']);
		expect(
			await page.locator('table.results tbody tr', { hasText: 'notes.txt' }).locator('td.language').textContent()
		).toBe('Text');

		// Experts: built-ins listed, no "nothing installed" notice above them.
		await page.locator('nav a', { hasText: 'Experts' }).click();
		await page.getByTestId('experts-table').waitFor();
		expect(await page.getByText('No experts installed yet').count()).toBe(0);
		expect(consoleErrors).toEqual([]);
	}, 300_000);

	it('stops a run on Cancel: no file is classified after it, and the page says how far it got', async () => {
		const folder = path.join(root, 'many');
		mkdirSync(folder);
		// No extension, no shebang: Linguist's evidence leaves every language open, so each file takes the model a while
		// (picked as loose files: a dropped folder is a repository, where such files are unknown without asking the model).
		const prose = 'Counting the ways a small model can be asked about a file with no name to go by.\n';
		const total = 600;
		for (let index = 0; index < total; index++)
			writeFileSync(path.join(folder, `note${String(index).padStart(3, '0')}`), `${prose.repeat(3)}copy ${index}\n`);
		await page.goto(`${app.origin}/`);
		await page.getByTestId('pick-files').setInputFiles(readdirSync(folder).map((name) => path.join(folder, name)));
		await page.waitForFunction(() => document.querySelectorAll('table.results tbody tr').length >= 2, null, {
			timeout: 120_000,
			polling: 100
		});
		await page.getByRole('button', { name: 'Cancel' }).click();
		await expect
			.poll(() => page.getByTestId('run-status').textContent())
			.toMatch(/^Cancelled: \d+ classified, 0 skipped, \d+ not reached\./);
		const [, classified, notReached] =
			/(\d+) classified, 0 skipped, (\d+) not reached/.exec(
				(await page.getByTestId('run-status').textContent()) ?? ''
			) ?? [];
		expect(Number(classified) + Number(notReached)).toBe(total);
		expect(Number(notReached)).toBeGreaterThan(0);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await page.locator('table.results tbody tr').count()).toBe(Number(classified));
		expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
		await page.screenshot({ path: path.join(SHOTS, 'classify-cancelled.png'), fullPage: true });
	});

	it("Compare: tunes Set A's weights on a labelled folder (progress, before/after, weights, routed verdicts), stores the set in IndexedDB (listed after a reload) and compares Set A with @tuned; bad labels or a bad name store nothing", async () => {
		// <Language>/<file> under the picked folder: two files without an extension (the model decides) and two real samples.
		const folder = path.join(root, 'labelled');
		const write = (relative: string, text: string) => {
			mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true });
			writeFileSync(path.join(folder, relative), text);
		};
		write(
			'Python/script',
			'import sys\n\n\ndef main(argv):\n    for line in sys.stdin:\n        print(line.strip().upper())\n\n\nif __name__ == "__main__":\n    main(sys.argv)\n'
		);
		write(
			'JavaScript/snippet',
			'const items = [1, 2, 3].map((x) => x * 2);\nfunction total(list) {\n  return list.reduce((a, b) => a + b, 0);\n}\nconsole.log(total(items));\nmodule.exports = { total };\n'
		);
		write('Perl/fib.pl', readFileSync(path.join(REPO, 'datasets/samples/fib.pl'), 'utf8'));
		write('C/Field.h', readFileSync(path.join(REPO, 'datasets/samples/Field.h'), 'utf8'));
		const bad = path.join(root, 'unlabelled');
		mkdirSync(path.join(bad, 'Notalanguage'), { recursive: true });
		writeFileSync(path.join(bad, 'Notalanguage', 'x.txt'), 'not a language folder\n');
		writeFileSync(path.join(bad, 'loose.txt'), 'in no folder at all\n');

		await page.goto(`${app.origin}/compare`);
		await page.getByTestId('plan-A').waitFor();
		const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Tune weights' }) });
		const tuneButton = card.getByRole('button', { name: "Tune Set A's weights" });
		const alertText = async () =>
			(await card.getByRole('alert').count()) ? await card.getByRole('alert').locator('div').textContent() : null;
		expect(await card.count()).toBe(0);

		// No file labelled by a Linguist folder: one line, nothing stored.
		await page.getByTestId('pick-folder').setInputFiles(bad);
		await card.getByTestId('tune-name').fill('bad-labels');
		await tuneButton.click();
		await expect
			.poll(alertText, { timeout: 30_000 })
			.toMatch(
				/^no file is labelled by its folder \(unlabelled\/(Notalanguage\/x\.txt: "Notalanguage" is not a GitHub Linguist language name|loose\.txt: not inside a language folder \(expected <Language>\/<file>\))\)$/
			);
		// A bad set name: one line, before anything runs.
		await page.getByTestId('pick-folder').setInputFiles(folder);
		await card.getByTestId('tune-name').fill('Not Valid');
		await tuneButton.click();
		await expect
			.poll(alertText)
			.toBe('set name "Not Valid": use lower-case words joined by hyphens (at most 64 characters), e.g. tuned');

		await card.getByTestId('tune-name').fill('tuned');
		await card.getByTestId('tune-evaluations').fill('3');
		// Every text the progress bar shows, however briefly.
		await page.evaluate(() => {
			const seen: string[] = [];
			(window as unknown as { tuneProgressSeen: string[] }).tuneProgressSeen = seen;
			new MutationObserver(() => {
				const text = document
					.querySelector('[data-testid="tune-progress"] progress')
					?.closest('label')
					?.querySelector('span')
					?.textContent?.replace(/\s+/g, ' ')
					.trim();
				if (text && !seen.includes(text)) seen.push(text);
			}).observe(document.body, { childList: true, subtree: true, characterData: true });
		});
		const started = Date.now();
		await tuneButton.click();
		await page.waitForFunction(
			() =>
				document.querySelector('[data-testid="tune-done"]') || document.querySelector('section.card [role="alert"]'),
			null,
			{ timeout: 240_000, polling: 250 }
		);
		expect(await alertText()).toBeNull();
		console.log(`tune on 4 files, 3 evaluations: ${((Date.now() - started) / 1000).toFixed(1)} s with the model load`);
		const seen = await page.evaluate(() => (window as unknown as { tuneProgressSeen: string[] }).tuneProgressSeen);
		expect(
			seen.some((text) =>
				/^[1-3] \/ 3 evaluations · [\d.]+ evaluations\/s \(weight search, best language \d+\.\d%\)$/.test(text)
			),
			seen.join(' | ')
		).toBe(true);
		expect(await card.getByTestId('tune-progress').locator('progress').count()).toBe(0);
		expect(await card.getByTestId('tune-done').textContent()).toMatch(
			/^Stored @tuned: [1-3] evaluations on 4 files\.$/
		);

		const scores = Object.fromEntries(
			(
				await card
					.getByTestId('tune-scores')
					.locator('tbody tr')
					.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')))
			).map(([measure, ...values]) => [measure, values])
		);
		expect(Object.keys(scores)).toEqual(['Language accuracy', 'Type accuracy', 'Files', 'Files left to the model']);
		for (const measure of ['Language accuracy', 'Type accuracy'])
			for (const value of scores[measure]) expect(value).toMatch(/^\d{1,3}\.\d%$/);
		expect(scores.Files).toEqual(['4', '4']);
		const modelFiles = Number(scores['Files left to the model'][0]);
		expect(modelFiles).toBeGreaterThanOrEqual(2);
		expect(modelFiles).toBeLessThanOrEqual(4);
		// The search keeps a change only when it scores better: never worse than the start.
		const [before, after] = scores['Language accuracy'].map(parseFloat);
		expect(after).toBeGreaterThanOrEqual(before);
		const weights = await card
			.getByTestId('tune-weights')
			.locator('tbody tr')
			.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
		expect(weights.map(([expert]) => expert)).toContain('document-classifier@1.0.0');
		// Set A is auto: it starts from the shipped @auto set's weights.
		const shippedAuto = parseExpertSet(readFileSync(path.join(REPO, 'experts/sets/auto.json'), 'utf8'), 'auto.json');
		const startWeight = new Map(
			shippedAuto.experts.map((expert) => [`${expert.name}@${expert.version}`, expert.weight])
		);
		for (const [expert, start, tuned] of weights) {
			expect(start).toBe(String(startWeight.get(expert) ?? 1));
			expect([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]).toContain(Number(tuned));
		}
		const verdicts = card.getByTestId('tune-verdicts');
		if ((await verdicts.locator('li').count()) > 0)
			for (const line of await verdicts.locator('li').allTextContents())
				expect(line).toMatch(
					/^[a-z0-9-]+: (added when routed \(weight [\d.]+\)|left out): on \d+ files? routed to it, language /
				);
		else expect(await verdicts.textContent()).toBe('Routing sends none of these files to an expert outside the set.');
		await shootBothWidths(page, 'compare-tune');

		// Set A against @tuned through the normal Compare run: Set A scores what tuning started from.
		await card.getByRole('button', { name: 'Compare Set A with @tuned' }).click();
		await expect.poll(() => page.getByText(/^Agreement:/).count(), { timeout: 120_000 }).toBe(1);
		expect(await page.getByRole('alert').count()).toBe(0);
		const summary = await page
			.locator('table')
			.filter({ has: page.getByRole('columnheader', { name: 'Language accuracy' }) })
			.locator('tbody tr')
			.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
		expect(summary.map(([label]) => label)).toEqual(['Set A: auto', 'Set B: @tuned']);
		expect(summary[0][3]).toBe(scores['Language accuracy'][0]);
		expect(summary[1][3]).toMatch(/^\d{1,3}\.\d%$/);
		expect(await page.getByTestId('plan-B').textContent()).toMatch(/^Loads: .*document-classifier@1\.0\.0/);
		await shootBothWidths(page, 'compare-tuned-results');

		// Stored in IndexedDB: after a reload the pickers list @tuned beside the shipped sets (and nothing from the failed attempts), and it loads.
		await page.reload();
		await page.getByTestId('plan-A').waitFor();
		const setB = page.getByRole('group', { name: 'Set B' });
		const shippedSets = readdirSync(path.join(REPO, 'experts/sets')).map((file) => `@${file.replace(/\.json$/, '')}`);
		await expect
			.poll(async () => (await setB.locator('.stored label').allTextContents()).map((text) => text.trim()).sort())
			.toEqual([...shippedSets, '@tuned'].sort());
		await setB.getByRole('checkbox', { name: '@tuned' }).check();
		await expect.poll(() => page.getByTestId('plan-B').textContent()).toMatch(/^Loads: .*document-classifier@1\.0\.0/);
		expect(await page.getByRole('alert').count()).toBe(0);
		expect(consoleErrors).toEqual([]);
	}, 360_000);

	it('`expert app` (npm start) serves the build on loopback with COOP/COEP and prints the URL', async () => {
		const server = spawn(process.execPath, [path.join(REPO, 'src/cli/expert.js'), 'app', '--port', '0', '--json'], {
			cwd: REPO,
			env: { ...process.env, EXPERT_APP_BUILD_DIR: path.relative(REPO, buildDir) },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		try {
			const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
			const [line] = await Promise.race([
				lines.next().then(({ value }) => [String(value)]),
				new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`expert app exited ${code}`))))
			]);
			const { url, built } = JSON.parse(line) as { url: string; built: boolean };
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
			expect(built).toBe(false);
			for (const route of ['', 'train', 'ort/ort-wasm-simd-threaded.jsep.wasm']) {
				const response = await fetch(`${url}${route}`);
				expect(response.status, route).toBe(200);
				expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
				expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
			}
			expect((await fetch(`${url}no-such-file.js`)).status).toBe(404);
		} finally {
			server.kill('SIGTERM');
		}
		expect(await new Promise((resolve) => server.once('exit', resolve))).toBe(0);
	});

	it('shows a clear message instead of a blank page without IndexedDB, WebGPU or the worker script', async () => {
		const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BASE_FLAGS });
		try {
			const noGpu = await plain.newPage();
			await noGpu.goto(`${app.origin}/settings`);
			await expect.poll(() => noGpu.getByTestId('backend').textContent()).toBe('WebAssembly (no WebGPU adapter)');
			await noGpu.getByTestId('backend-in-use').waitFor();
			expect(await noGpu.getByRole('status').filter({ hasText: 'No WebGPU' }).textContent()).toContain(
				'runs on WebAssembly'
			);
			await noGpu.screenshot({ path: path.join(SHOTS, 'no-webgpu.png'), fullPage: true });

			const noIdb = await plain.newPage();
			await noIdb.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
			await noIdb.goto(`${app.origin}/experts`);
			await expect.poll(() => noIdb.getByRole('alert').first().textContent()).toContain('Unsupported browser');
			expect(await noIdb.locator('h1').textContent()).toBe('Experts');
			await noIdb.screenshot({ path: path.join(SHOTS, 'no-indexeddb.png'), fullPage: true });

			// The worker's script does not load (offline before the service worker stored it): every file is listed
			// with the reason and the page says what to do, instead of "Loading the base model…" forever.
			// (No service worker here: one that took control first would serve the script from its cache.)
			const noWorker = await (await plain.newContext({ serviceWorkers: 'block' })).newPage();
			await noWorker.route('**/_app/immutable/workers/**', (route) => route.abort('internetdisconnected'));
			await noWorker.goto(`${app.origin}/`);
			await noWorker
				.getByTestId('pick-files')
				.setInputFiles(CLASSIFY_SAMPLES.map((name) => path.join(REPO, 'datasets/samples', name)));
			await expect
				.poll(() => noWorker.getByRole('alert').first().textContent())
				.toMatch(/^Not available offline yet.*reload once online/);
			const reasons = await skippedRows(noWorker);
			expect(Object.keys(reasons).sort()).toEqual([...CLASSIFY_SAMPLES].sort());
			expect(Object.values(reasons).every((reason) => reason.includes("the app's worker did not start"))).toBe(true);
			await noWorker.screenshot({ path: path.join(SHOTS, 'no-worker.png'), fullPage: true });
		} finally {
			await plain.close();
		}
	});
});
