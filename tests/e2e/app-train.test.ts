// The web app's Train page against a real trainer service (HTTP, SQLite, PyTorch worker) on loopback, in
// Debian Chromium with a fresh profile: unsafe port, trainer down and wrong token explained; a dataset
// generated in the page; a job started, left and reattached, carried through a trainer stop and restart,
// finished with its summary and installed; a second job cancelled. Screenshots in test-results/app/.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppBuild, type AppServer } from '../../src/lib/app-server/static-site-fs.ts';
import { startTrainerServer, type TrainerServer } from '../../src/trainer/server.ts';
import { sharedAppBuild } from '../fixtures/app-build.ts';
import { chromiumSkipReason, launchAppBrowser } from '../fixtures/app-browser.ts';
import { writeTinyModel } from '../fixtures/tiny-model.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(REPO, 'test-results', 'app');
const embeddedBase = existsSync(path.join(REPO, 'static/models/expert-base-tiny/config.json'));
const TOKEN = 'e2e-token';

if (chromiumSkipReason) console.warn(`skipping Train page e2e test: ${chromiumSkipReason}`);

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe.skipIf(chromiumSkipReason !== null)('Train page against a real trainer on loopback', () => {
	let root: string;
	let app: AppServer;
	let context: BrowserContext;
	let page: Page;
	let consoleErrors: string[];
	let trainer: TrainerServer;
	let dataDir: string;
	let port: number;

	const startTrainer = async () => {
		trainer = await startTrainerServer({ dataDir, port, threads: 2, token: TOKEN, corsOrigins: [app.origin] });
		port = Number(new URL(trainer.url).port);
	};
	const connectionText = () => page.getByTestId('connection').textContent();
	const jobStatus = () => page.getByTestId('job-status').textContent();

	beforeAll(async () => {
		root = await mkdtemp(path.join(os.tmpdir(), 'app-train-e2e-'));
		mkdirSync(SHOTS, { recursive: true });
		app = await serveAppBuild(path.join(await sharedAppBuild(), 'site'));
		({ context, page, consoleErrors } = await launchAppBrowser(path.join(root, 'profile')));
		dataDir = path.join(root, 'trainer');
		await writeTinyModel(path.join(dataDir, 'models', 'tiny-qwen2'), {
			hiddenSize: 112,
			intermediateSize: 192,
			seed: 4
		});
		port = 0;
		await startTrainer();
	});

	afterAll(async () => {
		await context?.close();
		await trainer?.close();
		await app?.close();
		if (root) await rm(root, { recursive: true, force: true });
	});

	it('explains a blocked port, a trainer that is down and a refused token', async () => {
		await page.goto(`${app.origin}/train`);
		const url = page.getByLabel('Trainer URL');
		const token = page.getByLabel(/^Token/);
		await url.fill('http://127.0.0.1:6000');
		await page.getByRole('button', { name: 'Connect' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toMatch(/^Port blocked by the browser\s*the browser refuses to connect to port 6000/);

		const down = `http://127.0.0.1:${await closedPort()}`;
		await url.fill(down);
		await page.getByRole('button', { name: 'Connect' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toMatch(new RegExp(`^Trainer not reachable\\s*the trainer at ${down} is not reachable`));

		await url.fill(trainer.url);
		await token.fill('wrong-token');
		await page.getByRole('button', { name: 'Connect' }).click();
		await expect
			.poll(() => page.getByRole('alert').textContent())
			.toMatch(/^Token refused\s*the trainer refused the token \(401\)/);
		await page.screenshot({ path: path.join(SHOTS, 'train-401.png'), fullPage: true });
	});

	it('generates a dataset in the page, trains through leaving the page and a trainer restart, installs the expert, and cancels a second job', async () => {
		await page.goto(`${app.origin}/train`);
		await page.getByLabel('Trainer URL').fill(trainer.url);
		await page.getByLabel(/^Token/).fill(TOKEN);
		await page.getByRole('button', { name: 'Connect' }).click();
		await expect.poll(connectionText).toBe(`Connected to ${trainer.url}: 0 jobs.`);

		// json-parsing needs no corpus folder: its generator builds documents from the seeded random source.
		// Easy records are short, so the CPU steps are quick.
		await page.getByLabel('Records').fill('16');
		await page.getByLabel('Difficulty').selectOption('easy');
		await page.getByRole('button', { name: 'Generate' }).click();
		await expect
			.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 60_000 })
			.toBe('Dataset: json-parsing-16-seed0.jsonl, 16 records.');

		await page.getByLabel('Expert name').fill('browser-trained');
		await page.getByLabel(/^Base model/).fill(embeddedBase ? 'expert-base-tiny' : 'tiny-qwen2');
		await page.getByLabel('LoRA rank').fill('2');
		await page.getByLabel('Epochs').fill('2');
		await page.getByLabel(/^Max steps/).fill('8');
		await page.getByLabel(/^Sequence length/).fill('64');
		await page.getByLabel(/^Capabilities/).fill('json, validation');
		await page.getByLabel(/^Routing keywords/).fill('json, parse');
		await page.getByRole('button', { name: 'Start training' }).click();
		await expect.poll(jobStatus, { timeout: 120_000, interval: 250 }).toMatch(/step \d+ of \d+/);
		const totalSteps = Number(/step \d+ of (\d+)/.exec((await jobStatus()) ?? '')?.[1]);
		expect(totalSteps).toBeGreaterThanOrEqual(4);
		const jobHeading = await page.locator('#job-heading').textContent();

		// Leave the page and come back: the URL and token are remembered, and the running job is reattached.
		await page.locator('nav a', { hasText: 'Experts' }).click();
		await expect.poll(() => page.locator('h1').textContent()).toBe('Experts');
		await page.locator('nav a', { hasText: 'Train' }).click();
		await expect.poll(connectionText).toMatch(/^Connected to /);
		expect(await page.locator('#job-heading').textContent()).toBe(jobHeading);
		await expect.poll(jobStatus, { timeout: 60_000, interval: 250 }).toMatch(new RegExp(`step \\d+ of ${totalSteps}`));
		expect(await jobStatus()).toMatch(/about \d+ (s|min) left, \d+ tokens\/s/);

		// The trainer stops mid-job: the page says so; after the restart (same data dir) it reattaches and the job resumes.
		await trainer.close();
		await expect.poll(connectionText, { timeout: 30_000 }).toMatch(/^Trainer stopped or unreachable at /);
		await page.screenshot({ path: path.join(SHOTS, 'train-trainer-stopped.png'), fullPage: true });
		await startTrainer();
		await expect.poll(connectionText, { timeout: 30_000 }).toMatch(/^Connected to /);
		await expect
			.poll(() => page.getByTestId('installed').textContent(), { timeout: 240_000, interval: 500 })
			.toBe("Installed browser-trained@1.0.0 into this browser's expert cache.");
		expect(await jobStatus()).toMatch(new RegExp(`^Status: done, step ${totalSteps} of ${totalSteps}, loss \\d`));
		expect(await page.getByTestId('job-summary').textContent()).toMatch(
			new RegExp(`Loss\\s*[\\d.]+ → [\\d.]+.*Steps\\s*${totalSteps},.*on cpu`)
		);
		expect((await page.locator('svg polyline.train').getAttribute('points'))?.split(' ')).toHaveLength(totalSteps);
		await expect
			.poll(() => page.getByTestId('jobs-table').textContent())
			.toMatch(/browser-trained\s*done \(resumed 1×\)/);
		await page.setViewportSize({ width: 390, height: 800 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.screenshot({ path: path.join(SHOTS, 'train-done-390.png'), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.screenshot({ path: path.join(SHOTS, 'train-done-1280.png'), fullPage: true });

		// A second job on two processes (torchrun ranks, each listed with its tokens/s), cancelled from the job list.
		await page.getByLabel('Expert name').fill('cancelled-one');
		await page.getByLabel('Epochs').fill('200');
		await page.getByLabel(/^Max steps/).fill('400');
		await page.getByTestId('processes').fill('2');
		await page.getByRole('button', { name: 'Start training' }).click();
		await expect.poll(() => page.locator('#job-heading').textContent()).toMatch(/: cancelled-one$/);
		const ranksTable = page.getByTestId('job-ranks');
		await expect
			.poll(() => ranksTable.textContent(), { timeout: 120_000, interval: 250 })
			.toMatch(/^2 processes \(torchrun ranks\).*0\s*0\s*\S+\s*\d+\s*\d+.*1\s*0\s*\S+\s*\d+\s*\d+$/s);
		await page.screenshot({ path: path.join(SHOTS, 'train-ranks-1280.png'), fullPage: true });
		await page.setViewportSize({ width: 390, height: 800 });
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await page.screenshot({ path: path.join(SHOTS, 'train-ranks-390.png'), fullPage: true });
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.getByRole('button', { name: 'Cancel job cancelled-one' }).click();
		await expect.poll(jobStatus, { timeout: 60_000 }).toMatch(/^Status: cancelled/);
		await expect
			.poll(() => page.getByTestId('jobs-table').textContent(), { timeout: 10_000 })
			.toMatch(/cancelled-one\s*cancelled/);

		await page.goto(`${app.origin}/experts`);
		await expect
			.poll(() => page.getByTestId('experts-table').textContent())
			.toMatch(/browser-trained 1\.0\.0.*json.*validation.*json, parse/s);
		expect(
			consoleErrors.filter((text) => !text.includes('Failed to load resource') && !text.includes('net::ERR'))
		).toEqual([]);
	}, 480_000);
});
