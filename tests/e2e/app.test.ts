// The web app end to end: a private production build served on loopback (COOP/COEP) in Debian Chromium: pages,
// keyboard, PWA checks and offline reload, expert install/export/bad packages, real files classified (pick, drop,
// Compare, offline) with the answers of `expert classify` in Node, the trainer down/401/real job,
// no-IndexedDB/no-WebGPU notices; screenshots in test-results/app/.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainerServer, type TrainerServer } from '../../src/trainer/server.ts';
import { serveAppBuild, type AppServer } from '../fixtures/app-build-server.ts';
import { writeRandomAdapter, writeTinyModel } from '../fixtures/tiny-model.ts';
import { sftJsonl } from '../fixtures/trainer-datasets.ts';

const CHROMIUM = process.env.EXPERT_CHROMIUM ?? '/usr/bin/chromium';
const BASE_FLAGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const REPO = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(REPO, 'test-results', 'app');
/** A private build (inside the repo so the prerender step resolves node_modules), untouched by other builds. */
const BUILD_DIR = path.join(REPO, '.tmp', `app-e2e-${process.pid}`);
/** Real files from the repo's sample set, classified in the browser and by the Node CLI. */
const CLASSIFY_SAMPLES = ['Field.h', 'fib.pl', 'load_from_json.cypher'];
/** The build ships these experts (the Vite plugin reads the same variable); the Node run must use them too. */
const EXPERTS_DIR = path.resolve(REPO, process.env.EXPERT_BUILTIN_EXPERTS_DIR ?? 'experts');
const EMBEDDED_CONFIG = path.join(REPO, 'static/models/expert-base-tiny/config.json');
/** The app checks experts against the embedded base when the build ships one (static/models/). */
const embeddedBase = existsSync(EMBEDDED_CONFIG);
if (!embeddedBase) console.warn(`web app e2e: ${EMBEDDED_CONFIG} absent, so the wrong-base check is not exercised and the trainer uses a tiny model`);
const PAGES = [
	{ path: '/', heading: 'Classify files' },
	{ path: '/experts', heading: 'Experts' },
	{ path: '/compare', heading: 'Compare expert sets' },
	{ path: '/train', heading: 'Train an expert' },
	{ path: '/settings', heading: 'Settings and status', ready: ['backend', 'model-state', 'cache-usage'] }
];

const skipReason = existsSync(CHROMIUM) ? null : `${CHROMIUM} not found`;
if (skipReason) console.warn(`skipping web app e2e test: ${skipReason}`);

/** Zips a package folder's files under <folder>/, as the app's own export does. */
async function zipPackage(dir: string): Promise<Uint8Array> {
	const entries: Record<string, Uint8Array> = {};
	for (const name of await readdir(dir)) entries[`${path.basename(dir)}/${name}`] = new Uint8Array(await readFile(path.join(dir, name)));
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

/** `expert classify --json` in Node (onnxruntime-node, fp32) on the same files, rows keyed by file name. */
async function runNodeClassify(files: string[], experts = 'auto'): Promise<Array<Answer & { experts: string[] }>> {
	const args = [path.join(REPO, 'src/cli/expert.js'), 'classify', ...files, '--json', '--precision', 'fp32', '--threads', '1', '--experts-dir', EXPERTS_DIR, '--experts', experts];
	const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: REPO });
	const { files: rows } = JSON.parse(stdout) as { files: Array<Omit<Answer, 'evidence'> & { experts: string[]; evidence: { language: string } }> };
	return rows
		.map(({ path: file, type, language, technologies, evidence, experts }) => ({ path: path.basename(file), type, language, technologies, evidence: evidence.language, experts }))
		.sort((a, b) => a.path.localeCompare(b.path));
}
const withoutExperts = ({ experts: _experts, ...answer }: Answer & { experts: string[] }): Answer => answer;

/** Waits for the results table to hold `count` rows (failing at once on an error notice) and reads them, sorted by file name. */
async function tableRows(page: Page, count: number): Promise<AnswerRow[]> {
	await page.waitForFunction((n) => document.querySelector('[role="alert"]') || document.querySelectorAll('table tbody tr').length === n, count, { timeout: 120_000, polling: 250 });
	const alert = page.getByRole('alert');
	if ((await alert.count()) > 0) throw new Error(`the page reports: ${await alert.first().textContent()}`);
	const rows = await page.locator('table tbody tr').evaluateAll((trs) =>
		trs.map((tr) => {
			const [file, type, language, technologies, evidence, ms] = [...tr.querySelectorAll('td')];
			return {
				path: (file.textContent ?? '').split('/').pop() ?? '',
				type: type.textContent ?? '',
				language: language.textContent ?? '',
				technologies: [...technologies.querySelectorAll('.tag')].map((tag) => tag.textContent ?? ''),
				evidence: evidence.textContent ?? '',
				ms: Number(ms.textContent)
			};
		})
	);
	return rows.sort((a, b) => a.path.localeCompare(b.path));
}

function pngSize(bytes: Uint8Array): [number, number] {
	const view = new DataView(bytes.buffer, bytes.byteOffset);
	expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
	return [view.getUint32(16), view.getUint32(20)];
}

describe.skipIf(skipReason !== null)('web app (production build in Chromium)', () => {
	let root: string;
	let app: AppServer;
	let context: BrowserContext;
	let page: Page;
	const consoleErrors: string[] = [];

	beforeAll(async () => {
		root = await mkdtemp(path.join(os.tmpdir(), 'app-e2e-'));
		mkdirSync(SHOTS, { recursive: true });
		execFileSync(process.execPath, [path.join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
			cwd: REPO,
			env: { ...process.env, EXPERT_APP_BUILD_DIR: path.relative(REPO, BUILD_DIR) },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		app = await serveAppBuild(path.join(BUILD_DIR, 'site'));
		context = await chromium.launchPersistentContext(path.join(root, 'profile'), {
			executablePath: CHROMIUM,
			headless: true,
			args: [...BASE_FLAGS, '--enable-unsafe-webgpu'],
			viewport: { width: 1100, height: 800 },
			acceptDownloads: true
		});
		page = context.pages()[0] ?? (await context.newPage());
		page.on('console', (message) => {
			if (message.type() === 'error') consoleErrors.push(message.text());
		});
		page.on('pageerror', (error) => consoleErrors.push(error.message));
	});

	afterAll(async () => {
		await context?.close();
		await app?.close();
		if (root) await rm(root, { recursive: true, force: true });
		await rm(BUILD_DIR, { recursive: true, force: true });
	});

	it('renders every page without console errors and reaches them by keyboard', async () => {
		for (const { path: route, heading, ready = [] } of PAGES) {
			await page.goto(`${app.origin}${route}`);
			await expect.poll(() => page.locator('h1').textContent()).toBe(heading);
			for (const testId of ready) await page.getByTestId(testId).waitFor();
			await page.screenshot({ path: path.join(SHOTS, `page-${route === '/' ? 'classify' : route.slice(1)}.png`), fullPage: true });
		}
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
		await page.getByRole('button', { name: /theme/ }).click();
		const theme = await page.evaluate(() => document.documentElement.dataset.theme);
		expect(['dark', 'light']).toContain(theme);
		await page.screenshot({ path: path.join(SHOTS, `theme-${theme}.png`) });
		await page.setViewportSize({ width: 390, height: 800 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.screenshot({ path: path.join(SHOTS, 'narrow-train.png'), fullPage: true });
		await page.setViewportSize({ width: 1100, height: 800 });
		expect(consoleErrors).toEqual([]);
	});

	it('meets the PWA checks: manifest, icons, service worker in control, offline reload', async () => {
		await page.goto(`${app.origin}/`);
		const manifestUrl = await page.locator('link[rel="manifest"]').evaluate((link) => (link as HTMLLinkElement).href);
		const manifest = await (await fetch(manifestUrl)).json();
		expect(manifest).toMatchObject({ name: expect.any(String), short_name: 'Expert', start_url: './', scope: './', display: 'standalone', theme_color: expect.stringMatching(/^#/), background_color: expect.stringMatching(/^#/) });
		const sizes = [];
		for (const icon of manifest.icons) {
			const bytes = new Uint8Array(await (await fetch(new URL(icon.src, manifestUrl))).arrayBuffer());
			expect(pngSize(bytes).join('x')).toBe(icon.sizes);
			sizes.push(`${icon.sizes} ${icon.purpose}`);
		}
		expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));

		await page.evaluate(() => navigator.serviceWorker.ready);
		await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 15_000 }).toBe('activated');
		// Precached before any classify: onnxruntime-web's runtime files and the built-in experts (index and packages).
		const precached = await page.evaluate(async () => {
			const index = (await (await caches.match('/builtin-experts/index.json'))?.json()) as { packages: Array<{ folder: string; files: string[] }> } | undefined;
			const urls = ['/ort/ort-wasm-simd-threaded.jsep.mjs', '/ort/ort-wasm-simd-threaded.jsep.wasm', ...(index?.packages ?? []).flatMap(({ folder, files }) => files.map((file) => `/builtin-experts/${folder}/${file}`))];
			return { packages: index?.packages.length ?? 0, missing: (await Promise.all(urls.map(async (url) => ((await caches.match(url)) ? null : url)))).filter(Boolean) };
		});
		const shipped = readdirSync(EXPERTS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(path.join(EXPERTS_DIR, entry.name, 'manifest.json')));
		expect(precached).toEqual({ packages: shipped.length, missing: [] });

		await context.setOffline(true);
		try {
			await page.reload();
			await expect.poll(() => page.locator('h1').textContent()).toBe('Classify files');
			await page.locator('nav a', { hasText: 'Experts' }).click();
			await expect.poll(() => page.locator('h1').textContent()).toBe('Experts');
			await page.goto(`${app.origin}/settings`);
			await expect.poll(() => page.locator('h1').textContent()).toBe('Settings and status');
			await page.screenshot({ path: path.join(SHOTS, 'offline-settings.png'), fullPage: true });
		} finally {
			await context.setOffline(false);
		}
	});

	it('installs, lists, exports and removes an expert; bad packages get an inline message', async () => {
		const { config: tinyConfig } = await writeTinyModel(path.join(root, 'model'), { architecture: 'qwen2', seed: 3 });
		const config = embeddedBase ? JSON.parse(readFileSync(EMBEDDED_CONFIG, 'utf8')) : tinyConfig;
		const dir = path.join(root, 'e2e-expert-v1');
		await writeRandomAdapter(dir, { modelConfig: config, r: 2, alpha: 4, targetModules: ['q_proj', 'v_proj'], seed: 5, name: 'e2e-expert', version: '1.2.0', requires: ['english-basic@>=1.0.0'] });
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
		await input.setInputFiles({ name: 'bad-manifest.zip', mimeType: 'application/zip', buffer: Buffer.from(badManifest) });
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('bad-manifest.zip');
		if (embeddedBase) {
			const otherBase = path.join(root, 'other-base-v1');
			await writeRandomAdapter(otherBase, { modelConfig: tinyConfig, r: 2, alpha: 4, targetModules: ['q_proj'], seed: 6, name: 'other-base', version: '1.0.0' });
			await input.setInputFiles({ name: 'other-base.zip', mimeType: 'application/zip', buffer: Buffer.from(await zipPackage(otherBase)) });
			await expect.poll(() => page.getByRole('alert').textContent()).toContain('other-base.zip: built for base');
			expect(await page.getByRole('alert').textContent()).toContain('not the loaded expert-base-tiny');
		}
		await page.getByLabel('Package URL').fill('http://127.0.0.1:9/expert.zip');
		await page.getByRole('button', { name: 'Install from URL' }).click();
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('could not download http://127.0.0.1:9/expert.zip');
		await page.screenshot({ path: path.join(SHOTS, 'experts-bad-package.png'), fullPage: true });
		expect(await page.getByText('No experts installed yet').count()).toBe(1);

		await input.setInputFiles({ name: 'e2e-expert.zip', mimeType: 'application/zip', buffer: Buffer.from(archive) });
		await expect.poll(() => page.getByRole('status').filter({ hasText: 'Installed' }).textContent()).toBe('Installed e2e-expert@1.2.0.');
		const table = page.getByTestId('experts-table');
		expect(await table.textContent()).toContain('r 2, q_proj, v_proj');
		// english-basic, which it requires, is a built-in expert: listed, drawn, resolvable, not removable.
		expect(await page.locator('svg [data-expert="english-basic"]').textContent()).not.toContain('(missing)');
		expect(await table.textContent()).toMatch(/english-basic 1\.0\.0\s*built-in/);
		expect(await page.getByRole('button', { name: 'Remove english-basic@1.0.0' }).count()).toBe(0);
		await page.screenshot({ path: path.join(SHOTS, 'experts-installed.png'), fullPage: true });

		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export e2e-expert@1.2.0' }).click()]);
		const exported = unzipSync(new Uint8Array(readFileSync((await download.path()) as string)));
		for (const name of await readdir(dir)) expect(exported[`e2e-expert-v1/${name}`]).toEqual(new Uint8Array(await readFile(path.join(dir, name))));

		await page.getByRole('checkbox', { name: 'e2e-expert' }).check();
		await page.getByRole('button', { name: 'Resolve load plan' }).click();
		await expect.poll(() => page.getByTestId('load-plan').textContent()).toContain('e2e-expert@1.2.0');
		expect(await page.getByTestId('load-plan').textContent()).toContain('english-basic@1.0.0 (load order 3)');

		await page.getByRole('button', { name: 'Remove e2e-expert@1.2.0' }).click();
		await expect.poll(() => page.getByText('No experts installed yet').count()).toBe(1);
		expect(consoleErrors).toEqual([]);
	});

	it('classifies a folder of real files as `expert classify` does in Node, by drop too, on Compare, and offline after a reload', async () => {
		const folder = path.join(root, 'samples');
		mkdirSync(folder);
		for (const name of CLASSIFY_SAMPLES) copyFileSync(path.join(REPO, 'datasets/samples', name), path.join(folder, name));
		const nodeRun = runNodeClassify(CLASSIFY_SAMPLES.map((name) => path.join(folder, name)));
		const nodePythonRun = runNodeClassify([path.join(folder, 'fib.pl')], 'python-code');

		// WebAssembly with fp32 weights (Settings), the same precision as the Node run: SwiftShader WebGPU is far slower.
		await page.goto(`${app.origin}/settings`);
		await page.getByRole('combobox', { name: /^Model backend/ }).selectOption('wasm');
		await expect.poll(() => page.getByTestId('model-state').textContent()).toContain('loads on the first classify (backend wasm, precision auto)');

		await page.goto(`${app.origin}/`);
		const started = Date.now();
		await page.getByTestId('pick-folder').setInputFiles(folder);
		const rows = await tableRows(page, CLASSIFY_SAMPLES.length);
		const browserSeconds = (Date.now() - started) / 1000;
		const node = await nodeRun;
		console.log(`browser (WASM fp32): ${CLASSIFY_SAMPLES.length} files in ${browserSeconds.toFixed(1)} s with the model load; ms per file ${rows.map((row) => row.ms).join(', ')}`);
		expect(rows.map(answerOf)).toEqual(node.map(withoutExperts));
		const nodeExperts = [...new Set(node.map((row) => row.experts.map((id) => id.split('@')[0]).join(', ')))];
		expect(await page.getByText(/^Experts used:/).textContent()).toBe(`Experts used: ${nodeExperts.join(' · ')}`);
		await page.screenshot({ path: path.join(SHOTS, 'classify-results.png'), fullPage: true });
		await page.setViewportSize({ width: 390, height: 800 });
		await page.screenshot({ path: path.join(SHOTS, 'classify-results-390.png'), fullPage: true });
		await page.setViewportSize({ width: 1100, height: 800 });

		await page.evaluate(async (text) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([text], 'fib.pl', { type: 'text/plain' }));
			const zone = document.querySelector('[aria-label="Drop files or a folder here"]') as HTMLElement;
			zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
		}, readFileSync(path.join(folder, 'fib.pl'), 'utf8'));
		const [dropped] = await tableRows(page, 1);
		const fib = node.find((row) => row.path === 'fib.pl');
		expect(answerOf(dropped)).toEqual(fib && withoutExperts(fib));

		// In-app navigation keeps the worker, so the model loaded once serves Settings and Compare.
		await page.locator('nav a', { hasText: 'Settings' }).click();
		await expect.poll(() => page.getByTestId('model-state').textContent()).toMatch(/^Loaded: expert-base-tiny on WebAssembly, fp32, loaded in [\d.]+ s$/);
		await page.locator('nav a', { hasText: 'Compare' }).click();
		// Set A: the default; set B: the built-in python-code expert (and its dependency), as `--experts python-code` in Node.
		await page.getByRole('group', { name: 'Set B' }).getByRole('checkbox', { name: 'python-code@1.0.0' }).check();
		await page.getByTestId('pick-files').setInputFiles(path.join(folder, 'fib.pl'));
		await page.getByRole('button', { name: 'Compare 2 sets' }).click();
		await expect.poll(() => page.getByText(/^Agreement:/).count(), { timeout: 120_000 }).toBe(1);
		const [pythonSet] = await nodePythonRun;
		expect(pythonSet.experts).toEqual(['english-basic@1.0.0', 'python-code@1.0.0']);
		const squeeze = (text: string) => text.replace(/\s+/g, '');
		const cells = await page.locator('table').last().locator('tbody td').allTextContents();
		expect(cells.map(squeeze)).toEqual(['fib.pl', ...[fib, pythonSet].map((answer) => squeeze(`${answer?.type}·${answer?.language}${answer?.technologies.join(', ') || '—'}`))]);
		await page.screenshot({ path: path.join(SHOTS, 'compare-results.png'), fullPage: true });

		await context.setOffline(true);
		try {
			await page.goto(`${app.origin}/`);
			await page.getByTestId('pick-folder').setInputFiles(folder);
			expect((await tableRows(page, CLASSIFY_SAMPLES.length)).map(answerOf)).toEqual(node.map(withoutExperts));
			await page.screenshot({ path: path.join(SHOTS, 'classify-offline.png'), fullPage: true });
		} finally {
			await context.setOffline(false);
		}
		expect(consoleErrors).toEqual([]);
	});

	describe('against a real trainer service on loopback', () => {
		let trainer: TrainerServer;
		const TOKEN = 'e2e-token';

		beforeAll(async () => {
			const dataDir = path.join(root, 'trainer');
			await writeTinyModel(path.join(dataDir, 'models', 'tiny-qwen2'), { hiddenSize: 112, intermediateSize: 192, seed: 4 });
			trainer = await startTrainerServer({ dataDir, port: 0, threads: 1, token: TOKEN, corsOrigins: [app.origin] });
		});
		afterAll(async () => trainer?.close());

		it('explains a trainer that is down or refuses the token, then trains and installs an expert', async () => {
			await page.goto(`${app.origin}/train`);
			const url = page.getByLabel('Trainer URL');
			const token = page.getByLabel(/^Token/);
			await url.fill('http://127.0.0.1:9');
			await page.getByRole('button', { name: 'Connect' }).click();
			await expect.poll(() => page.getByRole('alert').textContent()).toContain('the trainer at http://127.0.0.1:9 is not reachable');

			await url.fill(trainer.url);
			await token.fill('wrong-token');
			await page.getByRole('button', { name: 'Connect' }).click();
			await expect.poll(() => page.getByRole('alert').textContent()).toContain('the trainer refused the token (401)');
			await page.screenshot({ path: path.join(SHOTS, 'train-401.png'), fullPage: true });

			await token.fill(TOKEN);
			await page.getByRole('button', { name: 'Connect' }).click();
			await expect.poll(() => page.getByRole('status').filter({ hasText: 'Connected' }).count()).toBe(1);

			await page.getByTestId('dataset-file').setInputFiles({ name: 'sft.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(sftJsonl(16)) });
			await page.getByLabel('Expert name').fill('browser-trained');
			await page.getByLabel(/^Base model/).fill(embeddedBase ? 'expert-base-tiny' : 'tiny-qwen2');
			await page.getByLabel('LoRA rank').fill('2');
			await page.getByLabel('Epochs').fill('2');
			await page.getByLabel(/^Max steps/).fill('6');
			await page.getByRole('button', { name: 'Start training' }).click();
			await expect.poll(() => page.getByTestId('installed').count(), { timeout: 120_000, interval: 500 }).toBe(1);
			expect(await page.getByTestId('installed').textContent()).toContain('browser-trained@1.0.0');
			const [, steps, total] = /Status: done, step (\d+) of (\d+), loss \d/.exec((await page.getByTestId('job-status').textContent()) ?? '') ?? [];
			expect(Number(steps)).toBeGreaterThan(1);
			expect(steps).toBe(total);
			expect((await page.locator('svg polyline.train').getAttribute('points'))?.split(' ')).toHaveLength(Number(steps));
			await page.screenshot({ path: path.join(SHOTS, 'train-done.png'), fullPage: true });

			await page.goto(`${app.origin}/experts`);
			await expect.poll(() => page.getByTestId('experts-table').textContent()).toContain('browser-trained');
			expect(consoleErrors.filter((text) => !text.includes('Failed to load resource'))).toEqual([]);
		});
	});

	it('shows a clear message instead of a blank page without IndexedDB or WebGPU', async () => {
		const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BASE_FLAGS });
		try {
			const noGpu = await plain.newPage();
			await noGpu.goto(`${app.origin}/settings`);
			await expect.poll(() => noGpu.getByTestId('backend').textContent()).toBe('WebAssembly (no WebGPU adapter)');
			expect(await noGpu.getByRole('status').filter({ hasText: 'No WebGPU' }).textContent()).toContain('runs on WebAssembly');
			await noGpu.screenshot({ path: path.join(SHOTS, 'no-webgpu.png'), fullPage: true });

			const noIdb = await plain.newPage();
			await noIdb.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
			await noIdb.goto(`${app.origin}/experts`);
			await expect.poll(() => noIdb.getByRole('alert').first().textContent()).toContain('Unsupported browser');
			expect(await noIdb.locator('h1').textContent()).toBe('Experts');
			await noIdb.screenshot({ path: path.join(SHOTS, 'no-indexeddb.png'), fullPage: true });
		} finally {
			await plain.close();
		}
	});
});
